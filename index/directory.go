package index

import "duban"

// directoryAgencies returns the agencies of the plan's directory (none
// when the plan has no directory).
func directoryAgencies(d *duban.Directory) []*duban.Agency {
	if d == nil {
		return nil
	}
	return d.Agencies()
}
