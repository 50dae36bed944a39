package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"duban"
)

// updateRec is how a report is stored. Short JSON names keep the file
// small; the retraction lives in its own bucket so that a report, once
// written, is never rewritten.
type updateRec struct {
	Plan       string    `json:"pl"` // the plan id (schema 2)
	Item       int       `json:"i"`
	Agency     string    `json:"a"`
	AuthorID   string    `json:"u"`
	AuthorName string    `json:"n,omitempty"`
	Status     int       `json:"s"`
	Percent    int       `json:"p"`
	Text       string    `json:"t"`
	Time       time.Time `json:"at"`
	Channel    string    `json:"c,omitempty"`
	SourceID   string    `json:"src"`
	Corrects   uint64    `json:"cor,omitempty"` // the record this one corrects
}

// retractionRec marks a report as retracted.
type retractionRec struct {
	Time     time.Time `json:"at"`
	By       string    `json:"by"`
	SourceID string    `json:"src"`
}

// bindingRec is a user's binding; the user id is the key.
type bindingRec struct {
	Agency  string    `json:"a"`
	BoundBy string    `json:"by"`
	Time    time.Time `json:"at"`
}

// adminRec records who made a user an admin, and when.
type adminRec struct {
	By   string    `json:"by"`
	Time time.Time `json:"at"`
}

// Kinds of write a source id can stand for.
const (
	kindUpdate  = "update"
	kindRetract = "retract"
	kindBind    = "bind"
	kindUnbind  = "unbind"
	kindAdmin   = "admin"
	kindUnadmin = "unadmin"
)

// sourceRec is what the first write with a source id did, so that the same
// id again returns the same result.
type sourceRec struct {
	Kind string    `json:"k"`
	Seq  uint64    `json:"seq,omitempty"` // the report stored or retracted
	OK   bool      `json:"ok,omitempty"`  // unbind: whether there was a binding
	Time time.Time `json:"at"`            // when it was processed (store clock)
}

// Limits on what the store accepts. The engine enforces the tighter,
// user-facing limits (text length, item range) before calling the store.
const (
	maxIDLen   = 256   // user, source and event ids
	maxTextLen = 16384 // bytes of report text
	maxNameLen = 512   // agency and display names
)

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// Every key of a plan's reports starts with planPrefix, its id and a 0
// byte (ids hold no 0 byte, so no plan's keys run into another's).

func itemPrefix(plan string, item int) []byte {
	return binary.BigEndian.AppendUint32(planPrefix(plan), uint32(item))
}

func itemSeqKey(plan string, item int, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(itemPrefix(plan, item), seq)
}

func authorPrefix(author string) []byte { return append([]byte(author), 0) }

func authorSeqKey(author string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(authorPrefix(author), seq)
}

func latestKey(plan string, item int, agency string) []byte {
	return append(itemPrefix(plan, item), agency...)
}

func timeKey(t time.Time, id string) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())), id...)
}

// decodeSeq reads an 8-byte sequence number.
func decodeSeq(what string, key, v []byte) (uint64, error) {
	if len(v) != 8 {
		return 0, corrupt(what, key, fmt.Errorf("sequence of %d bytes", len(v)))
	}
	return binary.BigEndian.Uint64(v), nil
}

// decode unmarshals a JSON value; a failure is a corrupt-record error.
func decode(what string, key, v []byte, dst any) error {
	if v == nil {
		return corrupt(what, key, fmt.Errorf("missing value"))
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return corrupt(what, key, err)
	}
	return nil
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain structs of strings, ints and times are marshalled.
		panic(fmt.Sprintf("store: marshal %T: %v", v, err))
	}
	return b
}

// toUpdate turns a stored record into the domain value, checking that the
// record makes sense.
func (r updateRec) toUpdate(seq uint64) (duban.Update, error) {
	st := duban.Status(r.Status)
	if r.Plan == "" || r.Item < 1 || r.Agency == "" || r.AuthorID == "" || st < duban.StatusNotStarted || st > duban.StatusDelayed ||
		r.Percent < duban.NoPercent || r.Percent > 100 {
		return duban.Update{}, corrupt("report", seqKey(seq), fmt.Errorf("invalid fields %+v", r))
	}
	return duban.Update{
		Seq: seq, Plan: r.Plan, Item: r.Item, Agency: r.Agency, AuthorID: r.AuthorID, AuthorName: r.AuthorName,
		Status: st, Percent: r.Percent, Text: r.Text, Time: r.Time, Channel: r.Channel, SourceID: r.SourceID,
		Corrects: r.Corrects,
	}, nil
}

// checkID validates a user, source or event id.
func checkID(what, id string) error {
	switch {
	case id == "":
		return duban.Errorf(duban.CodeInvalid, "缺少%s (empty id)", what)
	case len(id) > maxIDLen:
		return duban.Errorf(duban.CodeInvalid, "%s过长 (id too long)", what)
	case !utf8.ValidString(id) || bytes.IndexByte([]byte(id), 0) >= 0:
		return duban.Errorf(duban.CodeInvalid, "%s含有无效字符 (invalid id)", what)
	}
	return nil
}

// checkUpdate validates the fields of a report, other than its author and
// source ids (see checkWrite), before it is stored.
func checkUpdate(u duban.Update) error {
	switch {
	case checkPlanID(u.Plan) != nil:
		return duban.Errorf(duban.CodeInvalid, "报送缺少有效的计划编号 (invalid plan id)")
	case u.Item < 1 || u.Item > 1<<30:
		return duban.Errorf(duban.CodeInvalid, "条目编号 %d 无效 (invalid item)", u.Item)
	case u.Agency == "" || len(u.Agency) > maxNameLen || !utf8.ValidString(u.Agency):
		return duban.Errorf(duban.CodeInvalid, "报送单位无效 (invalid agency)")
	case u.Status < duban.StatusNotStarted || u.Status > duban.StatusDelayed:
		return duban.Errorf(duban.CodeInvalid, "进展状态无效 (invalid status)")
	case u.Percent < duban.NoPercent || u.Percent > 100:
		return duban.Errorf(duban.CodeInvalid, "完成比例应在 0 到 100 之间 (invalid percent)")
	case u.Text == "" && !(duban.Draft{Status: u.Status, Percent: u.Percent}).MayOmitText(),
		len(u.Text) > maxTextLen || !utf8.ValidString(u.Text):
		// Only a report that the work is done or not started may have
		// no text.
		return duban.Errorf(duban.CodeInvalid, "进展内容无效 (invalid text)")
	case len(u.AuthorName) > maxNameLen || len(u.Channel) > maxIDLen:
		return duban.Errorf(duban.CodeInvalid, "报送人或频道名称过长 (name too long)")
	}
	return nil
}
