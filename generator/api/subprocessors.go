package api

// SubprocessorsPath is where the sub-processor register is published.
const SubprocessorsPath = "api/subprocessors.json"

// Subprocessors is the content of /api/subprocessors.json: every
// sub-processor list of the portal with its current register, upcoming
// changes and change history.
type Subprocessors struct {
	// Generated is the build time, RFC 3339.
	Generated string `json:"generated"`
	// Lists are the documents of kind "subprocessors" and the other
	// documents with a sub-processor table (a DPA's annex), ordered by id.
	Lists []SubprocessorList `json:"lists"`
}

// SubprocessorList is one sub-processor document.
type SubprocessorList struct {
	// ID, Title and URL identify the document as in /api/documents.json.
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	// Retired is true for a withdrawn list.
	Retired bool `json:"retired"`
	// NoticeDays is the notice period before a new sub-processor is used.
	NoticeDays int `json:"notice_days"`
	// Version is the id of the version the register is read from (the
	// version in force), or null when nothing is committed.
	Version *string `json:"version"`
	// Register is the current list of sub-processors.
	Register []Subprocessor `json:"register"`
	// Upcoming are changes not yet in effect: published versions whose
	// objection period runs, and rows with a future effective date.
	Upcoming []RegisterChange `json:"upcoming"`
	// History is the change list of every version, newest first.
	History []RegisterChange `json:"history"`
}

// Subprocessor is one row of a register.
type Subprocessor struct {
	Name              string   `json:"name"`
	Purpose           string   `json:"purpose"`
	Location          string   `json:"location"`
	Countries         []string `json:"countries"`
	EntityCountry     *string  `json:"entity_country"`
	TransferMechanism *string  `json:"transfer_mechanism"`
	DataCategories    []string `json:"data_categories"`
	Website           *string  `json:"website"`
	Group             *string  `json:"group"`
	// Added and Effective are YYYY-MM-DD dates from the row, or null.
	Added     *string `json:"added"`
	Effective *string `json:"effective"`
	// Key identifies the sub-processor across versions.
	Key string `json:"key"`
}

// RegisterChange is what one version changed in a register, or a row that
// takes effect later.
type RegisterChange struct {
	// Version, Commit, Date and URL identify the version (null for a row
	// whose own effective date is ahead).
	Version *string `json:"version"`
	Commit  *string `json:"commit"`
	Date    *string `json:"date"`
	URL     *string `json:"url"`
	// Material is the version's materiality, as in Version.Material.
	Material bool `json:"material"`
	// Effective is the date the change applies from (YYYY-MM-DD), or null.
	Effective *string `json:"effective"`
	// ObjectionDeadline is the publication date plus the notice period, for
	// material versions that add or change sub-processors; else null.
	ObjectionDeadline *string `json:"objection_deadline"`
	// Summary is "2 added, 1 removed".
	Summary string          `json:"summary"`
	Added   []Subprocessor  `json:"added"`
	Removed []Subprocessor  `json:"removed"`
	Changed []ChangedRecord `json:"changed"`
	Moved   []ChangedRecord `json:"moved"`
}

// ChangedRecord is a sub-processor whose fields changed between versions.
type ChangedRecord struct {
	Name   string        `json:"name"`
	Key    string        `json:"key"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one changed field.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}
