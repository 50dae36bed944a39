// Package seeds holds the plan documents that duban ships with, embedded
// into the binary so that the bot runs without any file beside it.
package seeds

import _ "embed"

// Fujian2021 is the text of the 2021 Fujian 质量强省 work plan
// (《2021年福建省质量强省工作要点》), the default plan.
//
//go:embed fujian-2021-quality-workpoints.txt
var Fujian2021 []byte

// DefaultName is the file name of the default plan, used in messages.
const DefaultName = "fujian-2021-quality-workpoints.txt"
