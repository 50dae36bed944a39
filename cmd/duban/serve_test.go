package main

import (
	"strings"
	"testing"
)

func TestServeRefusesBadTokens(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string // in the message
	}{
		{"nothing set", nil, nil, "SLACK_BOT_TOKEN is not set"},
		{"user token", nil, map[string]string{"SLACK_BOT_TOKEN": "xoxp-TOPSECRET", "SLACK_APP_TOKEN": "xapp-1"}, "does not start with xoxb-"},
		{"bad app token", nil, map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-TOPSECRET"}, "SLACK_APP_TOKEN does not start with xapp-"},
		{"http without secret", []string{"--http", "127.0.0.1:0"}, map[string]string{"SLACK_BOT_TOKEN": "xoxb-TOPSECRET"}, "SLACK_SIGNING_SECRET"},
		{"no transport", nil, map[string]string{"SLACK_BOT_TOKEN": "xoxb-TOPSECRET"}, "no Slack transport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			for _, k := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"} {
				if _, ok := tt.env[k]; !ok {
					t.Setenv(k, "")
				}
			}
			code, out, errOut := runCmd(t, "", append([]string{"serve", "--data", t.TempDir()}, tt.args...)...)
			if code == 0 {
				t.Fatalf("serve started; want a refusal")
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("message %q lacks %q", errOut, tt.want)
			}
			if strings.Contains(out+errOut, "TOPSECRET") {
				t.Errorf("the token appears in the output: %q", out+errOut)
			}
		})
	}
}
