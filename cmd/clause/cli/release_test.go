package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGoreleaserConfig: .goreleaser.yaml parses, builds clause and
// clause-render for the six platforms into one archive, stamps the version into a variable that exists (cli.Version,
// a string), and names its archives and checksums as the installer of the
// recipes downloads them.
func TestGoreleaserConfig(t *testing.T) {
	b, err := os.ReadFile("../../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int
		Builds  []struct {
			ID      string
			Main    string
			Goos    []string
			Goarch  []string
			Ldflags []string
		}
		Archives []struct {
			NameTemplate string `yaml:"name_template"`
			Formats      []string
			IDs          []string
		}
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		}
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 2 || len(cfg.Archives) != 1 {
		t.Fatalf("%+v", cfg)
	}
	for i, main := range []string{"./cmd/clause", "./cmd/clause-render"} {
		b := cfg.Builds[i]
		if b.Main != main || b.ID != strings.TrimPrefix(main, "./cmd/") || strings.Join(b.Goos, ",") != "linux,darwin,windows" || strings.Join(b.Goarch, ",") != "amd64,arm64" {
			t.Errorf("build %d: %+v", i, b)
		}
	}
	if strings.Join(cfg.Archives[0].IDs, ",") != "clause,clause-render" {
		t.Errorf("the archive holds builds %v, not clause and clause-render", cfg.Archives[0].IDs)
	}
	build := cfg.Builds[0]
	m := regexp.MustCompile(`-X ([\w./-]+)\.(\w+)=\{\{ \.Tag \}\}`).FindStringSubmatch(strings.Join(build.Ldflags, " "))
	if m == nil {
		t.Fatalf("no -X …={{ .Tag }} in ldflags %q", build.Ldflags)
	}
	if m[1] != "github.com/clause-portal/clause/cmd/clause/cli" {
		t.Errorf("-X names package %s, not this one", m[1])
	}
	// The variable exists in this package, as a string var.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "version.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for _, name := range vs.Names {
				if name.Name == m[2] {
					if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						found = true
					}
				}
			}
		}
		return true
	})
	if !found {
		t.Errorf("-X names %s, which is not a string variable of version.go", m[2])
	}
	Version = "v9.9.9" // what the linker sets
	defer func() { Version = "" }()
	if !strings.HasPrefix(versionString(), "clause v9.9.9 (") {
		t.Errorf("versionString with the stamp: %s", versionString())
	}
	// The names the installer downloads.
	install, _ := recipeFS.ReadFile("recipes/install.sh")
	if cfg.Archives[0].NameTemplate != "clause_{{ .Version }}_{{ .Os }}_{{ .Arch }}" || !strings.Contains(string(install), `archive="clause_${version#v}_${os}_${arch}.tar.gz"`) {
		t.Errorf("archive name %q and the installer's differ", cfg.Archives[0].NameTemplate)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" || !strings.Contains(string(install), `"$base/checksums.txt"`) {
		t.Errorf("checksum file %q and the installer's differ", cfg.Checksum.NameTemplate)
	}
	if !strings.Contains(string(install), `-C "$tmp" clause clause-render`) || !strings.Contains(string(install), "cmd/clause-render@$version") {
		t.Error("the installer does not install clause-render beside clause")
	}
	if cfg.Archives[0].Formats[0] != "tar.gz" {
		t.Errorf("archive format %v", cfg.Archives[0].Formats)
	}
}
