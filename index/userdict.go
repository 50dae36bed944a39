package index

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban"
)

// planTerms are terms of the plan that gojieba's dictionary splits
// (石墨烯 -> 石墨/烯, 一品一码 -> 一品/一码) and that people search for.
var planTerms = []string{
	"三品一标", "一品一码", "一物一码", "石墨烯", "电梯物联网", "机制砂", "乌龙茶", "白茶",
	"茶产业", "稀土", "新材料", "不锈钢", "医养结合", "养老服务", "知识产权", "首席质量官",
	"质量标杆", "冷链物流", "数控机床", "工业机器人", "医疗器械", "仿制药", "一致性评价",
	"食源性疾病", "婴幼儿配方乳粉", "保健食品", "明厨亮灶", "旅游厕所", "红色旅游",
	"全域旅游", "文物保护", "法律援助", "学前教育", "普惠性", "供水管网", "污水管网",
	"雨水管网", "预拌混凝土", "装配式建筑", "绿色建材", "绿色建筑", "农村公路",
	"品质工程", "消费维权", "放心消费", "中国品牌日", "质量月", "森林康养", "森林步道",
	"森林公园", "地理标志", "高价值专利", "检验检测", "计量器具", "质量奖",
	"一趟不用跑", "跨省通办", "省内通办", "一件事", "枫桥经验",
	"医患纠纷", "疫苗", "血液制品", "国门守护", "口岸", "新冠肺炎", "非洲猪瘟",
	"小微企业", "专精特新", "小巨人", "再贷款", "融资担保", "研发费用", "加计扣除",
	"一带一路",
}

// quotedRe finds the plan's own short names: terms in “” or 《》 quotes.
var quotedRe = regexp.MustCompile(`[“"《]([^”"》]{2,8})[”"》]`)

// userWords returns the words added to gojieba's dictionary: agency names
// in every written form, the plan's terms and the short quoted terms of
// the plan text.
func userWords(plan *duban.Plan, agencies *agencyTable) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		w = strings.TrimSpace(w)
		if w == "" || seen[w] || utf8.RuneCountInString(w) < 2 || strings.ContainsAny(w, " \t、,，") {
			return
		}
		seen[w] = true
		out = append(out, w)
	}
	for _, n := range agencies.names {
		add(n)
	}
	for _, t := range planTerms {
		add(t)
	}
	for _, it := range plan.Items {
		if it == nil {
			continue
		}
		for _, m := range quotedRe.FindAllStringSubmatch(it.Text, -1) {
			if hasWordRune(m[1]) && !strings.ContainsFunc(m[1], isSeparator) {
				add(m[1])
			}
		}
	}
	return out
}
