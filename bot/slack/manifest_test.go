package slack

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSlashCommandBindsAnEscapedMention: with should_escape true (the
// manifest), Slack sends a mention as <@U…|name>; 绑定 reads the user id
// from it (hardening 16).
func TestSlashCommandBindsAnEscapedMention(t *testing.T) {
	b, err := os.ReadFile("manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*should_escape:\s*true\s*$`).Match(b) {
		t.Error("manifest.yml does not set should_escape: true for /duban")
	}
	h := start(t, false)
	resp, body := h.command(adminUser, "绑定 <@UB2|李四> 省林业局", "trig-esc")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "UB2") {
		t.Errorf("bind through /duban: %d %s", resp.StatusCode, body)
	}
	if b, ok, err := h.store.Binding(context.Background(), "UB2"); err != nil || !ok || b.Agency != "省林业局" {
		t.Errorf("binding of UB2 = %+v %v %v, want 省林业局", b, ok, err)
	}
}

// TestManifestScopesAreTheOnesUsed: the manifest and the README ask for
// the scopes the adapter uses and no others: im:read is not used
// (hardening 19).
func TestManifestScopesAreTheOnesUsed(t *testing.T) {
	b, err := os.ReadFile("manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)bot:\n((?:\s+- [a-z_:.]+\n)+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no bot scopes in manifest.yml")
	}
	got := strings.Fields(strings.ReplaceAll(string(m[1]), "-", ""))
	want := []string{"app_mentions:read", "chat:write", "commands", "im:history", "im:write", "users:read", "files:write", "files:read"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("manifest scopes %v, want %v", got, want)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(readme), "im:read") {
		t.Error("README.md still asks for im:read")
	}
	for _, s := range want {
		if !strings.Contains(string(readme), "`"+s+"`") {
			t.Errorf("README.md does not list %s", s)
		}
	}
}
