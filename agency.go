package duban

// Agency is one unit the plan or its cover letter names, under one
// canonical name.
type Agency struct {
	Name     string   // canonical name, e.g. 省林业局
	Full     string   // full official name, e.g. 福建省林业局
	Aliases  []string // every other form that resolves to it
	Header   string   // the form used in the cover letter's recipients list, if any
	Hint     string   // how people may know it, for suggestions
	Category string   // 省委部门, 省政府部门, 中央驻闽单位, 群团组织
}

// Directory resolves the names people and the document use to agencies.
type Directory struct {
	agencies []*Agency
	byName   map[string]*Agency
	aliases  map[string][]string // normalised alias -> canonical names (several when ambiguous)
	keys     []string            // aliases, longest first, for scanning text
}
