package subprocessors

// This file holds the country table: every ISO 3166-1 alpha-2 code with its
// English short name and the aliases that sub-processor lists use in
// practice ("USA", "U.S.", "UK", "Deutschland", "Holland"), plus three
// regions that are not countries but common locations of processing: the
// European Union ("EU", itself an exceptionally reserved ISO 3166 code), the
// European Economic Area ("EEA") and the whole world ("WORLD").
//
// Names with commas or parentheses in their official ISO form ("Korea,
// Republic of", "Cocos (Keeling) Islands") are given in their common short
// form, because commas and parentheses separate locations in a cell. The
// official comma forms that real lists copy are matched too (see
// parseLocation).

import (
	"strings"
	"sync"
)

// Region codes used in Row.Locations besides ISO 3166-1 alpha-2 codes.
const (
	// RegionEU is the European Union as a whole.
	RegionEU = "EU"
	// RegionEEA is the European Economic Area (the EU, Iceland,
	// Liechtenstein and Norway) as a whole.
	RegionEEA = "EEA"
	// RegionWorld is processing anywhere in the world ("Global",
	// "Worldwide"); it is treated as outside the EEA.
	RegionWorld = "WORLD"
)

// country is one entry of the table: code, English short name, aliases.
type country struct {
	code    string
	name    string
	aliases []string
}

var countries = []country{
	{"AD", "Andorra", nil},
	{"AE", "United Arab Emirates", []string{"UAE", "U.A.E.", "Emirates"}},
	{"AF", "Afghanistan", nil},
	{"AG", "Antigua and Barbuda", nil},
	{"AI", "Anguilla", nil},
	{"AL", "Albania", nil},
	{"AM", "Armenia", nil},
	{"AO", "Angola", nil},
	{"AQ", "Antarctica", nil},
	{"AR", "Argentina", nil},
	{"AS", "American Samoa", nil},
	{"AT", "Austria", []string{"Österreich", "Republic of Austria"}},
	{"AU", "Australia", nil},
	{"AW", "Aruba", nil},
	{"AX", "Åland Islands", []string{"Aland", "Åland"}},
	{"AZ", "Azerbaijan", nil},
	{"BA", "Bosnia and Herzegovina", []string{"Bosnia-Herzegovina", "Bosnia"}},
	{"BB", "Barbados", nil},
	{"BD", "Bangladesh", nil},
	{"BE", "Belgium", []string{"Belgique", "België", "Belgien"}},
	{"BF", "Burkina Faso", nil},
	{"BG", "Bulgaria", nil},
	{"BH", "Bahrain", nil},
	{"BI", "Burundi", nil},
	{"BJ", "Benin", nil},
	{"BL", "Saint Barthélemy", nil},
	{"BM", "Bermuda", nil},
	{"BN", "Brunei", []string{"Brunei Darussalam"}},
	{"BO", "Bolivia", []string{"Plurinational State of Bolivia"}},
	{"BQ", "Caribbean Netherlands", []string{"Bonaire, Sint Eustatius and Saba", "Bonaire"}},
	{"BR", "Brazil", []string{"Brasil"}},
	{"BS", "Bahamas", []string{"The Bahamas"}},
	{"BT", "Bhutan", nil},
	{"BV", "Bouvet Island", nil},
	{"BW", "Botswana", nil},
	{"BY", "Belarus", nil},
	{"BZ", "Belize", nil},
	{"CA", "Canada", nil},
	{"CC", "Cocos Islands", []string{"Cocos Keeling Islands", "Keeling Islands"}},
	{"CD", "Democratic Republic of the Congo", []string{"DR Congo", "DRC", "Congo-Kinshasa", "Congo, the Democratic Republic of the"}},
	{"CF", "Central African Republic", nil},
	{"CG", "Republic of the Congo", []string{"Congo", "Congo-Brazzaville"}},
	{"CH", "Switzerland", []string{"Schweiz", "Suisse", "Svizzera", "Swiss Confederation"}},
	{"CI", "Côte d'Ivoire", []string{"Ivory Coast"}},
	{"CK", "Cook Islands", nil},
	{"CL", "Chile", nil},
	{"CM", "Cameroon", nil},
	{"CN", "China", []string{"People's Republic of China", "PRC", "P.R.C.", "Mainland China"}},
	{"CO", "Colombia", nil},
	{"CR", "Costa Rica", nil},
	{"CU", "Cuba", nil},
	{"CV", "Cabo Verde", []string{"Cape Verde"}},
	{"CW", "Curaçao", nil},
	{"CX", "Christmas Island", nil},
	{"CY", "Cyprus", nil},
	{"CZ", "Czechia", []string{"Czech Republic"}},
	{"DE", "Germany", []string{"Deutschland", "Federal Republic of Germany", "Bundesrepublik Deutschland"}},
	{"DJ", "Djibouti", nil},
	{"DK", "Denmark", []string{"Danmark"}},
	{"DM", "Dominica", nil},
	{"DO", "Dominican Republic", nil},
	{"DZ", "Algeria", nil},
	{"EC", "Ecuador", nil},
	{"EE", "Estonia", []string{"Eesti"}},
	{"EG", "Egypt", nil},
	{"EH", "Western Sahara", nil},
	{"ER", "Eritrea", nil},
	{"ES", "Spain", []string{"España", "Kingdom of Spain"}},
	{"ET", "Ethiopia", nil},
	{"FI", "Finland", []string{"Suomi"}},
	{"FJ", "Fiji", nil},
	{"FK", "Falkland Islands", nil},
	{"FM", "Micronesia", []string{"Federated States of Micronesia"}},
	{"FO", "Faroe Islands", []string{"Faroes", "Føroyar", "Faeroe Islands"}},
	{"FR", "France", []string{"French Republic"}},
	{"GA", "Gabon", nil},
	{"GB", "United Kingdom", []string{"UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Northern Ireland", "England and Wales", "United Kingdom of Great Britain and Northern Ireland"}},
	{"GD", "Grenada", nil},
	{"GE", "Georgia", nil},
	{"GF", "French Guiana", nil},
	{"GG", "Guernsey", nil},
	{"GH", "Ghana", nil},
	{"GI", "Gibraltar", nil},
	{"GL", "Greenland", nil},
	{"GM", "Gambia", []string{"The Gambia"}},
	{"GN", "Guinea", nil},
	{"GP", "Guadeloupe", nil},
	{"GQ", "Equatorial Guinea", nil},
	{"GR", "Greece", []string{"Hellas", "Ελλάδα"}},
	{"GS", "South Georgia and the South Sandwich Islands", nil},
	{"GT", "Guatemala", nil},
	{"GU", "Guam", nil},
	{"GW", "Guinea-Bissau", nil},
	{"GY", "Guyana", nil},
	{"HK", "Hong Kong", []string{"Hong Kong SAR", "Hong Kong S.A.R."}},
	{"HM", "Heard Island and McDonald Islands", nil},
	{"HN", "Honduras", nil},
	{"HR", "Croatia", []string{"Hrvatska"}},
	{"HT", "Haiti", nil},
	{"HU", "Hungary", []string{"Magyarország"}},
	{"ID", "Indonesia", nil},
	{"IE", "Ireland", []string{"Republic of Ireland", "Éire"}},
	{"IL", "Israel", nil},
	{"IM", "Isle of Man", nil},
	{"IN", "India", nil},
	{"IO", "British Indian Ocean Territory", nil},
	{"IQ", "Iraq", nil},
	{"IR", "Iran", []string{"Islamic Republic of Iran", "Iran, Islamic Republic of"}},
	{"IS", "Iceland", []string{"Ísland"}},
	{"IT", "Italy", []string{"Italia"}},
	{"JE", "Jersey", nil},
	{"JM", "Jamaica", nil},
	{"JO", "Jordan", nil},
	{"JP", "Japan", []string{"Nippon"}},
	{"KE", "Kenya", nil},
	{"KG", "Kyrgyzstan", nil},
	{"KH", "Cambodia", nil},
	{"KI", "Kiribati", nil},
	{"KM", "Comoros", nil},
	{"KN", "Saint Kitts and Nevis", nil},
	{"KP", "North Korea", []string{"Democratic People's Republic of Korea", "DPRK"}},
	{"KR", "South Korea", []string{"Korea", "Republic of Korea", "Korea, Republic of", "ROK"}},
	{"KW", "Kuwait", nil},
	{"KY", "Cayman Islands", nil},
	{"KZ", "Kazakhstan", nil},
	{"LA", "Laos", []string{"Lao People's Democratic Republic"}},
	{"LB", "Lebanon", nil},
	{"LC", "Saint Lucia", nil},
	{"LI", "Liechtenstein", nil},
	{"LK", "Sri Lanka", nil},
	{"LR", "Liberia", nil},
	{"LS", "Lesotho", nil},
	{"LT", "Lithuania", []string{"Lietuva"}},
	{"LU", "Luxembourg", []string{"Luxemburg", "Lëtzebuerg"}},
	{"LV", "Latvia", []string{"Latvija"}},
	{"LY", "Libya", nil},
	{"MA", "Morocco", nil},
	{"MC", "Monaco", nil},
	{"MD", "Moldova", []string{"Republic of Moldova", "Moldova, Republic of"}},
	{"ME", "Montenegro", nil},
	{"MF", "Saint Martin", nil},
	{"MG", "Madagascar", nil},
	{"MH", "Marshall Islands", nil},
	{"MK", "North Macedonia", []string{"Macedonia"}},
	{"ML", "Mali", nil},
	{"MM", "Myanmar", []string{"Burma"}},
	{"MN", "Mongolia", nil},
	{"MO", "Macao", []string{"Macau"}},
	{"MP", "Northern Mariana Islands", nil},
	{"MQ", "Martinique", nil},
	{"MR", "Mauritania", nil},
	{"MS", "Montserrat", nil},
	{"MT", "Malta", nil},
	{"MU", "Mauritius", nil},
	{"MV", "Maldives", nil},
	{"MW", "Malawi", nil},
	{"MX", "Mexico", []string{"México"}},
	{"MY", "Malaysia", nil},
	{"MZ", "Mozambique", nil},
	{"NA", "Namibia", nil},
	{"NC", "New Caledonia", nil},
	{"NE", "Niger", nil},
	{"NF", "Norfolk Island", nil},
	{"NG", "Nigeria", nil},
	{"NI", "Nicaragua", nil},
	{"NL", "Netherlands", []string{"The Netherlands", "Holland", "Nederland", "Kingdom of the Netherlands"}},
	{"NO", "Norway", []string{"Norge", "Noreg"}},
	{"NP", "Nepal", nil},
	{"NR", "Nauru", nil},
	{"NU", "Niue", nil},
	{"NZ", "New Zealand", []string{"Aotearoa"}},
	{"OM", "Oman", nil},
	{"PA", "Panama", nil},
	{"PE", "Peru", nil},
	{"PF", "French Polynesia", nil},
	{"PG", "Papua New Guinea", nil},
	{"PH", "Philippines", []string{"The Philippines"}},
	{"PK", "Pakistan", nil},
	{"PL", "Poland", []string{"Polska"}},
	{"PM", "Saint Pierre and Miquelon", nil},
	{"PN", "Pitcairn Islands", []string{"Pitcairn"}},
	{"PR", "Puerto Rico", nil},
	{"PS", "Palestine", []string{"State of Palestine"}},
	{"PT", "Portugal", nil},
	{"PW", "Palau", nil},
	{"PY", "Paraguay", nil},
	{"QA", "Qatar", nil},
	{"RE", "Réunion", nil},
	{"RO", "Romania", []string{"România"}},
	{"RS", "Serbia", nil},
	{"RU", "Russia", []string{"Russian Federation"}},
	{"RW", "Rwanda", nil},
	{"SA", "Saudi Arabia", []string{"KSA", "Kingdom of Saudi Arabia"}},
	{"SB", "Solomon Islands", nil},
	{"SC", "Seychelles", nil},
	{"SD", "Sudan", nil},
	{"SE", "Sweden", []string{"Sverige"}},
	{"SG", "Singapore", nil},
	{"SH", "Saint Helena", []string{"Saint Helena, Ascension and Tristan da Cunha"}},
	{"SI", "Slovenia", []string{"Slovenija"}},
	{"SJ", "Svalbard and Jan Mayen", nil},
	{"SK", "Slovakia", []string{"Slovak Republic", "Slovensko"}},
	{"SL", "Sierra Leone", nil},
	{"SM", "San Marino", nil},
	{"SN", "Senegal", nil},
	{"SO", "Somalia", nil},
	{"SR", "Suriname", nil},
	{"SS", "South Sudan", nil},
	{"ST", "São Tomé and Príncipe", nil},
	{"SV", "El Salvador", nil},
	{"SX", "Sint Maarten", nil},
	{"SY", "Syria", []string{"Syrian Arab Republic"}},
	{"SZ", "Eswatini", []string{"Swaziland"}},
	{"TC", "Turks and Caicos Islands", nil},
	{"TD", "Chad", nil},
	{"TF", "French Southern Territories", nil},
	{"TG", "Togo", nil},
	{"TH", "Thailand", nil},
	{"TJ", "Tajikistan", nil},
	{"TK", "Tokelau", nil},
	{"TL", "Timor-Leste", []string{"East Timor"}},
	{"TM", "Turkmenistan", nil},
	{"TN", "Tunisia", nil},
	{"TO", "Tonga", nil},
	{"TR", "Türkiye", []string{"Turkey"}},
	{"TT", "Trinidad and Tobago", nil},
	{"TV", "Tuvalu", nil},
	{"TW", "Taiwan", nil},
	{"TZ", "Tanzania", []string{"United Republic of Tanzania"}},
	{"UA", "Ukraine", nil},
	{"UG", "Uganda", nil},
	{"UM", "United States Minor Outlying Islands", nil},
	{"US", "United States", []string{"USA", "U.S.", "U.S.A.", "United States of America"}},
	{"UY", "Uruguay", nil},
	{"UZ", "Uzbekistan", nil},
	{"VA", "Vatican City", []string{"Holy See"}},
	{"VC", "Saint Vincent and the Grenadines", nil},
	{"VE", "Venezuela", nil},
	{"VG", "British Virgin Islands", nil},
	{"VI", "U.S. Virgin Islands", []string{"United States Virgin Islands", "US Virgin Islands"}},
	{"VN", "Vietnam", []string{"Viet Nam"}},
	{"VU", "Vanuatu", nil},
	{"WF", "Wallis and Futuna", nil},
	{"WS", "Samoa", nil},
	{"YE", "Yemen", nil},
	{"YT", "Mayotte", nil},
	{"ZA", "South Africa", nil},
	{"ZM", "Zambia", nil},
	{"ZW", "Zimbabwe", nil},
}

// places are sub-national names that appear as locations of processing
// (data-centre cities and regions of the large cloud providers), and names
// that would otherwise be mistaken for a country ("New Jersey" is not
// Jersey, "New South Wales" is not Wales).
var places = []country{
	{"US", "New Jersey", []string{"New Mexico", "New York", "Virginia", "Northern Virginia", "Ohio", "Oregon", "California", "Northern California", "Iowa", "Texas", "Illinois", "Washington State", "South Carolina", "Nevada", "Utah", "Arizona"}},
	{"AU", "New South Wales", []string{"Sydney", "Melbourne"}},
	{"CA", "Montreal", []string{"Montréal", "Toronto", "Quebec", "Québec", "Central Canada"}},
	{"DE", "Frankfurt", []string{"Frankfurt am Main", "Berlin", "Munich", "München", "Nuremberg", "Nürnberg", "Falkenstein"}},
	{"IE", "Dublin", nil},
	{"NL", "Amsterdam", []string{"Eemshaven"}},
	{"FR", "Paris", []string{"Marseille", "Roubaix", "Gravelines", "Strasbourg"}},
	{"GB", "London", []string{"Cardiff", "Manchester", "Edinburgh"}},
	{"BE", "St. Ghislain", []string{"Brussels"}},
	{"SE", "Stockholm", nil},
	{"FI", "Helsinki", []string{"Hamina"}},
	{"IT", "Milan", []string{"Milano", "Turin"}},
	{"ES", "Madrid", nil},
	{"PL", "Warsaw", nil},
	{"CH", "Zurich", []string{"Zürich", "Geneva"}},
	{"AT", "Vienna", []string{"Wien"}},
	{"DK", "Copenhagen", nil},
	{"NO", "Oslo", nil},
	{"JP", "Tokyo", []string{"Osaka"}},
	{"KR", "Seoul", nil},
	{"IN", "Mumbai", []string{"Hyderabad", "Pune", "Delhi", "Chennai"}},
	{"BR", "São Paulo", []string{"Sao Paulo"}},
	{"IL", "Tel Aviv", nil},
	{"ZA", "Johannesburg", []string{"Cape Town"}},
}

// regions are the locations that are not countries.
var regions = []country{
	{RegionEU, "European Union", []string{"E.U.", "Europäische Union", "Union européenne"}},
	{RegionEEA, "European Economic Area", []string{"E.E.A.", "EWR", "Europäischer Wirtschaftsraum"}},
	{RegionWorld, "Worldwide", []string{"Global", "Globally", "World", "Worldwide", "World-wide", "International", "All regions"}},
}

// eea lists the members of the European Economic Area: the 27 EU member
// states plus Iceland, Liechtenstein and Norway.
var eea = codeSet(
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
	"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
	"IS", "LI", "NO",
	RegionEU, RegionEEA,
)

// adequate lists the countries and territories with an adequacy decision
// of the European Commission under Article 45 GDPR, as of 2026: Andorra,
// Argentina, Canada (for commercial organisations subject to PIPEDA), the
// Faroe Islands, Guernsey, Israel, the Isle of Man, Japan, Jersey, New
// Zealand, the Republic of Korea, Switzerland, the United Kingdom and
// Uruguay. The United States is adequate only for organisations certified
// under the EU-U.S. Data Privacy Framework and is handled separately.
var adequate = codeSet("AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY")

func codeSet(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// CountryName returns the English name of a code used in Row.Locations (an
// ISO 3166-1 alpha-2 code or one of the region codes), or "" if the code is
// unknown.
func CountryName(code string) string {
	if e, ok := countriesIndex().byCode[code]; ok {
		return e.name
	}
	return ""
}

// InEEA reports whether a location code is inside the European Economic
// Area (an EEA member state, "EU" or "EEA").
func InEEA(code string) bool { return eea[code] }

// Adequate reports whether a location code is covered by an adequacy
// decision of the European Commission (other than the EU-U.S. Data Privacy
// Framework, which covers only certified organisations).
func Adequate(code string) bool { return adequate[code] }

// countryIndex is the index of the country tables, built on first use
// rather than at start: commands that never read a register do not pay
// for it.
type countryIndex struct {
	// byCode maps codes to table entries.
	byCode map[string]country
	// byAlias maps normalised names, aliases and codes (see aliasKey) to
	// codes.
	byAlias map[string]string
	// aliasSpan maps the first word of every alias to the length in words
	// of the longest alias starting with it, bounding the scan.
	aliasSpan map[string]int
}

var countriesIndex = sync.OnceValue(func() *countryIndex {
	x := &countryIndex{byCode: map[string]country{}, byAlias: map[string]string{}, aliasSpan: map[string]int{}}
	add := func(key, code string) {
		k := aliasKey(key)
		if k == "" {
			return
		}
		if _, dup := x.byAlias[k]; !dup {
			x.byAlias[k] = code
		}
		first, _, _ := strings.Cut(k, " ")
		x.aliasSpan[first] = max(x.aliasSpan[first], len(strings.Fields(k)))
	}
	for _, list := range [][]country{countries, regions, places} {
		for _, c := range list {
			if _, ok := x.byCode[c.code]; !ok {
				x.byCode[c.code] = c
			}
			add(c.code, c.code)
			add(c.name, c.code)
			for _, a := range c.aliases {
				add(a, c.code)
			}
		}
	}
	return x
})
