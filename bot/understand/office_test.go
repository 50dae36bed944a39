package understand

import "testing"

func TestReadOfficeCommand(t *testing.T) {
	for _, c := range []struct {
		in   string
		want OfficeCommand
	}{
		{"汇总", OfficeCommand{Kind: Summary}},
		{"汇总 省林业局", OfficeCommand{Kind: Summary, Typed: "省林业局", Name: "省林业局"}},
		{"进展汇总：所有单位", OfficeCommand{Kind: Summary, Typed: "所有单位"}},
		{"汇总一下全部的进展情况。", OfficeCommand{Kind: Summary, Typed: "一下全部的进展情况"}},
		{"Summary of 省林业局", OfficeCommand{Kind: Summary, Typed: "省林业局", Name: "省林业局"}},
		{"/summary", OfficeCommand{Kind: Summary}},
		{"省林业局汇总", OfficeCommand{Kind: SummaryOf, Typed: "省林业局", Name: "省林业局"}},
		{"海关的进展汇总", OfficeCommand{Kind: SummaryOf, Typed: "海关的进展", Name: "海关"}},
		{"汇总 未报送", OfficeCommand{Kind: Missing}},
		{"未报送单位名单", OfficeCommand{Kind: Missing, Typed: "单位名单"}},
		{"未报送 海关", OfficeCommand{Kind: Missing, Typed: "海关", Name: "海关"}},
		{"还未报送的单位", OfficeCommand{Kind: Missing, Typed: "的单位"}},
		{"哪些单位还没报送？", OfficeCommand{Kind: Missing}},
		{"谁没反馈", OfficeCommand{Kind: Missing}},
		{"Who hasn't reported yet?", OfficeCommand{Kind: Missing}},
		{"missing for 福州海关", OfficeCommand{Kind: Missing, Typed: "for 福州海关", Name: "福州海关"}},
		{"提醒 所有单位", OfficeCommand{Kind: Remind, Typed: "所有单位"}},
		{"催办 省林业局", OfficeCommand{Kind: Remind, Typed: "省林业局", Name: "省林业局"}},
		{"/remind late agencies", OfficeCommand{Kind: Remind, Typed: "late agencies"}},
		{"导出", OfficeCommand{Kind: Export, FormatOK: true}},
		{"导出为 Excel 表格", OfficeCommand{Kind: Export, Typed: "为 Excel 表格", Format: "xlsx", FormatOK: true}},
		{"export csv", OfficeCommand{Kind: Export, Typed: "csv", Format: "csv", FormatOK: true}},
		{"导出 .xlsx文件", OfficeCommand{Kind: Export, Typed: "xlsx文件", Format: "xlsx", FormatOK: true}},
		{"导出 pdf", OfficeCommand{Kind: Export, Typed: "pdf", Format: "pdf"}},
	} {
		got, ok := ReadOfficeCommand(c.in)
		if !ok || got != c.want {
			t.Errorf("ReadOfficeCommand(%q) = %+v, %v; want %+v", c.in, got, ok, c.want)
		}
	}
	for _, s := range []string{"", "第3条是什么", "exporters of tea", "summaryx", "哪些单位没有牵头的工作", "提到汇报的条目", "reminder",
		"export of face masks and ventilators", "export controls on food", "导出口罩的企业", "summary of item 53 progress", "汇总第3条"} {
		if got, ok := ReadOfficeCommand(s); ok {
			t.Errorf("ReadOfficeCommand(%q) = %+v, true; want false", s, got)
		}
	}
}
