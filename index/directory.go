package index

import "duban"

// directoryAgencies returns the agencies of the plan's directory.
func directoryAgencies(d *duban.Directory) []*duban.Agency {
	return nil // TODO(merge): d.Agencies() once the directory lands on main
}
