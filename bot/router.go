package bot

import "context"

// route decides what a request asks and answers it.
func (e *Engine) route(ctx context.Context, req Request) Reply {
	if r, ok := e.officeCommand(ctx, req, req.Text); ok {
		return r
	}
	return e.help()
}

// help is the short Chinese guide shown on start and for 帮助.
func (e *Engine) help() Reply {
	return Reply{Intent: IntentHelp, Title: "duban 督办助手"}
}
