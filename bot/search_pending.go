package bot

import "context"

// The topic intents (search, who by topic, target by topic) arrive with the
// search issue, which replaces this file. Until then they say so plainly.

func (e *Engine) searchReply(ctx context.Context, topic string) Reply {
	return Reply{Intent: IntentSearch, Title: "全文搜索尚未启用 (search unavailable)。可以按条目编号或单位名称提问，输入“帮助”查看示例。", Items: []int{}}
}

func (e *Engine) whoReply(ctx context.Context, topic string) Reply {
	return e.searchReply(ctx, topic)
}

func (e *Engine) targetTopicReply(ctx context.Context, topic string) Reply {
	return e.searchReply(ctx, topic)
}
