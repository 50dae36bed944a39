package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	clientv3 "go.etcd.io/etcd/client/v3"

	"duban"
)

// This file moves duban's records between backends: an etcd export (what
// `duban backup --store etcd` writes), a bbolt copy (what `duban backup`
// writes on the default store) and a restore of either into an empty
// store of either kind.
//
// The export is JSON lines: a header, then one line a record, each with
// the stored value as the backend keeps it:
//
//	{"format":"duban-export","version":1,"schema":2,"plan":"…","revision":42,"time":"…"}
//	{"t":"report","plan":"…","seq":1,"v":{…}}
//	{"t":"retraction","plan":"…","seq":1,"v":{…}}
//	{"t":"binding","id":"U1","v":{…}}
//	{"t":"admin","id":"U1","v":{…}}
//	{"t":"correction","plan":"…","seq":1,"v":2}
//	{"t":"pending","id":"U1","v":{…}}
//	{"t":"deadline","plan":"…","seq":1,"v":{…}}     (likewise "review" and "setting")
//	{"t":"reminders","plan":"…","id":"ROUND\u0000AGENCY","v":2}
//	{"t":"plan","id":"…","v":{…,"doc":"base64"}}           (a plan the office added)
//	{"t":"choice","id":"user:U1","v":"fujian-2022-quality"}
//
// A schema 1 export (one plan, named in the header) or bbolt copy (every
// report on the 2021 plan) is read with its reports on that plan.
//
// Processed source and event ids are not part of a backup: they matter for
// a day, and a restored store starts without them.

// ExportFormat names the export format in its header.
const ExportFormat = "duban-export"

// exportHeader is the first line of an export.
type exportHeader struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Schema   int       `json:"schema"`
	Plan     string    `json:"plan"`
	Revision int64     `json:"revision,omitempty"`
	Time     time.Time `json:"time"`
}

// exportLine is one record of an export.
type exportLine struct {
	T    string          `json:"t"`
	Plan string          `json:"plan,omitempty"`
	Seq  uint64          `json:"seq,omitempty"`
	ID   string          `json:"id,omitempty"`
	V    json.RawMessage `json:"v"`
}

// svKinds are the append-only supervision records, by their kind of write.
var svKinds = map[string][]byte{kindDeadline: bDeadlines, kindReview: bReviews, kindSetting: bSettings}

// svRecord is one append-only supervision record of a plan.
type svRecord struct {
	Kind, Plan string
	Seq        uint64
	V          json.RawMessage
}

// reminderCount is an agency's reminder count in a round of a plan.
type reminderCount struct {
	Plan, Round, Agency string
	N                   int
}

// dumpPlan is a plan the office added, as a backup holds it.
type dumpPlan struct {
	ID  string
	Rec planRec
	Doc []byte
}

// planLine is the value of a "plan" line of an export.
type planLine struct {
	planRec
	Doc []byte `json:"doc"`
}

// Dump is every record of a store, as read from a backup.
type Dump struct {
	Plan        string // the plan of a schema 1 backup's reports
	Reports     map[uint64]updateRec
	Retractions map[uint64]retractionRec
	Corrections map[uint64]uint64 // corrected report -> its correction
	Bindings    map[string]bindingRec
	Admins      map[string]adminRec
	Pending     map[string]pendingRec
	Supervision []svRecord
	Reminders   []reminderCount
	Plans       []dumpPlan
	Choices     map[string]string // scope -> plan id
}

func newDump() *Dump {
	return &Dump{Reports: map[uint64]updateRec{}, Retractions: map[uint64]retractionRec{}, Corrections: map[uint64]uint64{},
		Bindings: map[string]bindingRec{}, Admins: map[string]adminRec{}, Pending: map[string]pendingRec{}, Choices: map[string]string{}}
}

// Records returns how many records the dump holds.
func (d *Dump) Records() int {
	return len(d.Reports) + len(d.Retractions) + len(d.Corrections) + len(d.Bindings) + len(d.Admins) + len(d.Pending) +
		len(d.Supervision) + len(d.Reminders) + len(d.Plans) + len(d.Choices)
}

// check validates a dump before anything is written.
func (d *Dump) check() error {
	for seq, r := range d.Reports {
		if seq == 0 {
			return duban.Errorf(duban.CodeInvalid, "备份中有编号为 0 的记录 (record 0)")
		}
		if _, err := r.toUpdate(seq); err != nil {
			return err
		}
	}
	for seq := range d.Retractions {
		if _, ok := d.Reports[seq]; !ok {
			return duban.Errorf(duban.CodeInvalid, "备份中记录%d的撤回没有对应的记录 (retraction of a missing record)", seq)
		}
	}
	for old, by := range d.Corrections {
		_, ok1 := d.Reports[old]
		_, ok2 := d.Reports[by]
		if !ok1 || !ok2 {
			return duban.Errorf(duban.CodeInvalid, "备份中记录%d的更正没有对应的记录 (correction of a missing record)", old)
		}
	}
	for u, b := range d.Bindings {
		if u == "" || b.Agency == "" {
			return duban.Errorf(duban.CodeInvalid, "备份中有无效的单位绑定 (invalid binding)")
		}
	}
	for _, p := range d.Plans {
		if duban.CheckPlanID(p.ID) != nil || len(p.Doc) == 0 {
			return duban.Errorf(duban.CodeInvalid, "备份中有无效的计划 (invalid plan)")
		}
	}
	return nil
}

// onPlan gives a backup's reports written before reports carried their
// plan (schema 1) the plan they were on.
func (d *Dump) onPlan(plan string) {
	for seq, r := range d.Reports {
		if r.Plan == "" {
			r.Plan = plan
			d.Reports[seq] = r
		}
	}
}

// latest returns the latest live report of each (plan, item, agency)
// triple.
func (d *Dump) latest() map[string]uint64 {
	out := map[string]uint64{}
	for seq, r := range d.Reports {
		if _, gone := d.Retractions[seq]; gone {
			continue
		}
		if _, gone := d.Corrections[seq]; gone {
			continue
		}
		k := r.Plan + "\x00" + strconv.Itoa(r.Item) + "\x00" + r.Agency
		if seq > out[k] {
			out[k] = seq
		}
	}
	return out
}

// ExportFile writes a consistent export of the etcd store's records, read
// at one revision, to path (atomically, refusing duban's own files in
// dataDir). It returns the number of records.
func ExportFile(ctx context.Context, s *EtcdStore, path, dataDir string) (int, error) {
	n := 0
	_, err := writeFileAtomic(path, dataDir+"/"+FileName, func(w io.Writer) (int64, error) {
		var err error
		n, err = s.Export(ctx, w)
		return int64(n), err
	})
	return n, err
}

// Export writes every record of the etcd store, read at one revision, to w
// as JSON lines, and returns the number of records.
func (s *EtcdStore) Export(ctx context.Context, w io.Writer) (int, error) {
	octx, cancel := context.WithTimeout(ctx, 10*s.opTimeout)
	defer cancel()
	resp, err := s.cli.Get(octx, s.prefix, clientv3.WithPrefix())
	if err != nil {
		return 0, &duban.Error{Code: duban.CodeUnavailable, Msg: unavailableRead, Err: err}
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(exportHeader{Format: ExportFormat, Version: 1, Schema: SchemaVersion, Plan: s.legacy,
		Revision: resp.Header.Revision, Time: time.Now().UTC()}); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	n := 0
	pieces := map[string][]byte{} // plandoc/ID/NONCE/ -> the document so far
	for _, kv := range resp.Kvs {
		if k := string(kv.Key); strings.HasPrefix(k, s.prefix+"plandoc/") {
			at := strings.LastIndexByte(k, '/')
			pieces[k[:at+1]] = append(pieces[k[:at+1]], kv.Value...)
		}
	}
	planPart := func(k, part string) (string, bool) {
		rest, ok := strings.CutPrefix(k, s.prefix+"p/")
		if !ok {
			return "", false
		}
		plan, tail, _ := strings.Cut(rest, "/")
		return plan, strings.HasPrefix(tail, part)
	}
	for _, kv := range resp.Kvs {
		k := string(kv.Key)
		var line exportLine
		if plan, ok := planPart(k, "r/"); ok {
			seq, err := seqSuffix(k)
			if err != nil {
				return n, err
			}
			line = exportLine{T: "report", Plan: plan, Seq: seq, V: kv.Value}
		} else if plan, ok := planPart(k, "x/"); ok {
			seq, err := seqSuffix(k)
			if err != nil {
				return n, err
			}
			line = exportLine{T: "retraction", Plan: plan, Seq: seq, V: kv.Value}
		} else if plan, ok := planPart(k, "c/"); ok {
			seq, err := seqSuffix(k)
			if err != nil {
				return n, err
			}
			by, err := strconv.ParseUint(string(kv.Value), 10, 64)
			if err != nil {
				return n, corrupt("correction", kv.Key, err)
			}
			line = exportLine{T: "correction", Plan: plan, Seq: seq, V: json.RawMessage(strconv.FormatUint(by, 10))}
		} else if id, ok := strings.CutPrefix(k, s.prefix+"plan/"); ok {
			var rec etcdPlanRec
			if err := decode("plan", kv.Key, kv.Value, &rec); err != nil {
				return n, err
			}
			doc := pieces[s.k("plandoc/", id, "/", rec.Nonce, "/")]
			if len(doc) != rec.Size {
				return n, corrupt("plan document", kv.Key, fmt.Errorf("%d of %d bytes", len(doc), rec.Size))
			}
			line = exportLine{T: "plan", ID: id, V: encode(planLine{planRec: rec.planRec, Doc: doc})}
		} else if scope, ok := strings.CutPrefix(k, s.prefix+"choice/"); ok {
			line = exportLine{T: "choice", ID: scope, V: encode(string(kv.Value))}
		}
		switch {
		case line.T != "":
		case strings.HasPrefix(k, s.prefix+"b/"):
			line = exportLine{T: "binding", ID: strings.TrimPrefix(k, s.prefix+"b/"), V: kv.Value}
		case strings.HasPrefix(k, s.prefix+"adm/"):
			line = exportLine{T: "admin", ID: strings.TrimPrefix(k, s.prefix+"adm/"), V: kv.Value}
		case strings.HasPrefix(k, s.prefix+"pend/"):
			line = exportLine{T: "pending", ID: strings.TrimPrefix(k, s.prefix+"pend/"), V: kv.Value}
		case strings.HasPrefix(k, s.prefix+"p/") && strings.Contains(k, "/sv/"):
			planID, rest, _ := strings.Cut(strings.TrimPrefix(k, s.prefix+"p/"), "/sv/")
			kind, tail, _ := strings.Cut(rest, "/")
			switch {
			case kind == "remind":
				line = exportLine{T: "reminders", Plan: planID, ID: tail, V: kv.Value}
			case svKinds[kind] != nil && tail != "":
				seq, err := seqSuffix(k)
				if err != nil {
					return n, err
				}
				line = exportLine{T: kind, Plan: planID, Seq: seq, V: kv.Value}
			default:
				continue // the counters
			}
		default:
			continue // indexes and pointers are derived; ids are transient
		}
		if !json.Valid(line.V) {
			return n, corrupt(line.T, kv.Key, errors.New("not JSON"))
		}
		if err := enc.Encode(line); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		n++
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// ReadBackup reads a backup of either kind: a copy of a bbolt database
// (duban backup) or an etcd export (duban backup --store etcd).
func ReadBackup(path string) (*Dump, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, duban.Errorf(duban.CodeNotFound, "无法读取备份文件 %s (cannot read backup): %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read backup: %w", err)
		}
		return readExport(f, path)
	}
	f.Close()
	return readBoltBackup(path)
}

// readExport reads an etcd export.
func readExport(r io.Reader, path string) (*Dump, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 8<<20)
	bad := func(line int, err error) error {
		return duban.Errorf(duban.CodeInvalid, "备份文件 %s 第%d行无法读取 (bad export line): %w", path, line, err)
	}
	if !sc.Scan() {
		return nil, bad(1, errors.New("empty file"))
	}
	var h exportHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Format != ExportFormat {
		return nil, duban.Errorf(duban.CodeInvalid, "%s 不是 duban 的备份文件 (not a duban export)", path)
	}
	if h.Schema != SchemaVersion && h.Schema != 1 || h.Version != 1 {
		return nil, duban.Errorf(duban.CodeInvalid, "备份文件 %s 的格式版本为 %d，本程序只支持版本 1 和 %d (schema version mismatch)", path, h.Schema, SchemaVersion)
	}
	d := newDump()
	d.Plan = h.Plan
	if d.Plan == "" {
		d.Plan = LegacyPlanID
	}
	for line := 2; sc.Scan(); line++ {
		var l exportLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, bad(line, err)
		}
		var err error
		switch l.T {
		case "report":
			var r updateRec
			err = json.Unmarshal(l.V, &r)
			if r.Plan == "" {
				r.Plan = l.Plan
			}
			d.Reports[l.Seq] = r
		case "plan":
			var pl planLine
			if err = json.Unmarshal(l.V, &pl); err == nil {
				d.Plans = append(d.Plans, dumpPlan{ID: l.ID, Rec: pl.planRec, Doc: pl.Doc})
			}
		case "choice":
			var id string
			err = json.Unmarshal(l.V, &id)
			d.Choices[l.ID] = id
		case "retraction":
			var r retractionRec
			err = json.Unmarshal(l.V, &r)
			d.Retractions[l.Seq] = r
		case "binding":
			var b bindingRec
			err = json.Unmarshal(l.V, &b)
			d.Bindings[l.ID] = b
		case "admin":
			var a adminRec
			err = json.Unmarshal(l.V, &a)
			d.Admins[l.ID] = a
		case "correction":
			var by uint64
			err = json.Unmarshal(l.V, &by)
			d.Corrections[l.Seq] = by
		case "pending":
			var p pendingRec
			err = json.Unmarshal(l.V, &p)
			d.Pending[l.ID] = p
		case kindDeadline, kindReview, kindSetting:
			if err = checkPlanID(l.Plan); err == nil && l.Seq > 0 && json.Valid(l.V) {
				d.Supervision = append(d.Supervision, svRecord{Kind: l.T, Plan: l.Plan, Seq: l.Seq, V: l.V})
			} else if err == nil {
				err = errors.New("bad supervision record")
			}
		case "reminders":
			var n int
			round, agency, ok := strings.Cut(l.ID, "\x00")
			if err = json.Unmarshal(l.V, &n); err == nil && (!ok || checkPlanID(l.Plan) != nil) {
				err = errors.New("bad reminder count")
			}
			d.Reminders = append(d.Reminders, reminderCount{Plan: l.Plan, Round: round, Agency: agency, N: n})
		default:
			err = fmt.Errorf("unknown record type %q", l.T)
		}
		if err != nil {
			return nil, bad(line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, bad(0, err)
	}
	d.onPlan(d.Plan)
	return d, d.check()
}

// readBoltBackup reads a bbolt copy, opened read-only.
func readBoltBackup(path string) (*Dump, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if err != nil {
		return nil, duban.Errorf(duban.CodeInvalid, "%s 不是有效的 duban 备份 (not a duban backup): %w", path, err)
	}
	defer db.Close()
	d := newDump()
	d.Plan = LegacyPlanID
	err = db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		schema := ""
		if meta != nil {
			schema = string(meta.Get(keySchema))
		}
		if schema != strconv.Itoa(SchemaVersion) && schema != "1" {
			return duban.Errorf(duban.CodeInvalid, "%s 不是本版本的 duban 备份 (schema version mismatch)", path)
		}
		for _, name := range allBuckets {
			planBucket := bytes.Equal(name, bPlans) || bytes.Equal(name, bPlanDocs) || bytes.Equal(name, bPlanChoice)
			if tx.Bucket(name) == nil && !(schema == "1" && planBucket) {
				return duban.Errorf(duban.CodeInvalid, "备份 %s 缺少 %s 分区 (missing bucket)", path, name)
			}
		}
		if b := tx.Bucket(bPlans); b != nil {
			docs := tx.Bucket(bPlanDocs)
			if err := b.ForEach(func(k, v []byte) error {
				var rec planRec
				if err := decode("plan", k, v, &rec); err != nil {
					return err
				}
				d.Plans = append(d.Plans, dumpPlan{ID: string(k), Rec: rec, Doc: bytes.Clone(docs.Get(k))})
				return nil
			}); err != nil {
				return err
			}
		}
		if b := tx.Bucket(bPlanChoice); b != nil {
			if err := b.ForEach(func(k, v []byte) error {
				d.Choices[string(k)] = string(v)
				return nil
			}); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bReports).ForEach(func(k, v []byte) error {
			var r updateRec
			if len(k) != 8 {
				return corrupt("report", k, nil)
			}
			if err := decode("report", k, v, &r); err != nil {
				return err
			}
			d.Reports[binary.BigEndian.Uint64(k)] = r
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bRetractions).ForEach(func(k, v []byte) error {
			var r retractionRec
			if len(k) != 8 {
				return corrupt("retraction", k, nil)
			}
			if err := decode("retraction", k, v, &r); err != nil {
				return err
			}
			d.Retractions[binary.BigEndian.Uint64(k)] = r
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bBindings).ForEach(func(k, v []byte) error {
			var b bindingRec
			if err := decode("binding", k, v, &b); err != nil {
				return err
			}
			d.Bindings[string(k)] = b
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bAdmins).ForEach(func(k, v []byte) error {
			var a adminRec
			if err := decode("admin", k, v, &a); err != nil {
				return err
			}
			d.Admins[string(k)] = a
			return nil
		}); err != nil {
			return err
		}
		if b := tx.Bucket(bCorrections); b != nil {
			if err := b.ForEach(func(k, v []byte) error {
				if len(k) != 8 || len(v) != 8 {
					return corrupt("correction", k, nil)
				}
				d.Corrections[binary.BigEndian.Uint64(k)] = binary.BigEndian.Uint64(v)
				return nil
			}); err != nil {
				return err
			}
		}
		if b := tx.Bucket(bPending); b != nil {
			if err := b.ForEach(func(k, v []byte) error {
				var p pendingRec
				if err := decode("pending action", k, v, &p); err != nil {
					return err
				}
				d.Pending[string(k)] = p
				return nil
			}); err != nil {
				return err
			}
		}
		for kind, name := range svKinds {
			b := tx.Bucket(name)
			if b == nil {
				continue
			}
			if err := b.ForEach(func(k, v []byte) error {
				planID, seq, ok := bytes.Cut(k, []byte{0})
				if !ok || len(seq) != 8 || !json.Valid(v) {
					return corrupt(string(name), k, nil)
				}
				d.Supervision = append(d.Supervision, svRecord{Kind: kind, Plan: string(planID), Seq: binary.BigEndian.Uint64(seq), V: bytes.Clone(v)})
				return nil
			}); err != nil {
				return err
			}
		}
		if b := tx.Bucket(bReminders); b != nil {
			return b.ForEach(func(k, v []byte) error {
				parts := bytes.SplitN(k, []byte{0}, 3)
				if len(parts) != 3 || len(v) != 8 {
					return corrupt("reminder count", k, nil)
				}
				d.Reminders = append(d.Reminders, reminderCount{Plan: string(parts[0]), Round: string(parts[1]), Agency: string(parts[2]), N: int(binary.BigEndian.Uint64(v))})
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.onPlan(d.Plan)
	return d, d.check()
}

// Restorer is a store a backup can be restored into: a Store or an
// EtcdStore.
type Restorer interface {
	restore(ctx context.Context, d *Dump) (int, error)
}

// Restore writes every record of the dump into dst, which must hold no
// reports, bindings or admins yet, and returns the number of records.
// Record numbers are kept.
func Restore(ctx context.Context, dst any, d *Dump) (int, error) {
	r, ok := dst.(Restorer)
	if !ok {
		return 0, duban.Errorf(duban.CodeInvalid, "这种存储不支持恢复 (store cannot restore)")
	}
	if err := d.check(); err != nil {
		return 0, err
	}
	return r.restore(ctx, d)
}

// errNotEmpty refuses a restore over existing data.
var errNotEmpty = duban.Errorf(duban.CodeInvalid, "目标存储中已有数据，只能恢复到空的存储 (the target store is not empty)")

func sortedSeqs[V any](m map[uint64]V) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// restore writes the dump into an empty bbolt store in one transaction.
func (s *Store) restore(ctx context.Context, d *Dump) (int, error) {
	if err := ctxErr(ctx); err != nil {
		return 0, err
	}
	err := s.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bReports, bBindings, bAdmins} {
			if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
				return errNotEmpty
			}
		}
		reports := tx.Bucket(bReports)
		var max uint64
		for _, seq := range sortedSeqs(d.Reports) {
			r := d.Reports[seq]
			for _, put := range []struct {
				bucket, key, value []byte
			}{
				{bReports, seqKey(seq), encode(r)},
				{bByItem, itemSeqKey(r.Plan, r.Item, seq), nil},
				{bByAuthor, authorSeqKey(r.AuthorID, seq), nil},
			} {
				if err := tx.Bucket(put.bucket).Put(put.key, put.value); err != nil {
					return err
				}
			}
			max = seq
		}
		if err := reports.SetSequence(max); err != nil {
			return err
		}
		for seq, r := range d.Retractions {
			if err := tx.Bucket(bRetractions).Put(seqKey(seq), encode(r)); err != nil {
				return err
			}
		}
		for _, seq := range d.latest() {
			r := d.Reports[seq]
			if err := tx.Bucket(bLatest).Put(latestKey(r.Plan, r.Item, r.Agency), seqKey(seq)); err != nil {
				return err
			}
		}
		for _, p := range d.Plans {
			if err := tx.Bucket(bPlans).Put([]byte(p.ID), encode(p.Rec)); err != nil {
				return err
			}
			if err := tx.Bucket(bPlanDocs).Put([]byte(p.ID), p.Doc); err != nil {
				return err
			}
			if p.Rec.Order > tx.Bucket(bPlans).Sequence() {
				if err := tx.Bucket(bPlans).SetSequence(p.Rec.Order); err != nil {
					return err
				}
			}
		}
		for scope, id := range d.Choices {
			if err := tx.Bucket(bPlanChoice).Put([]byte(scope), []byte(id)); err != nil {
				return err
			}
		}
		for u, b := range d.Bindings {
			if err := tx.Bucket(bBindings).Put([]byte(u), encode(b)); err != nil {
				return err
			}
		}
		for u, a := range d.Admins {
			if err := tx.Bucket(bAdmins).Put([]byte(u), encode(a)); err != nil {
				return err
			}
		}
		if len(d.Corrections) > 0 {
			b, err := tx.CreateBucketIfNotExists(bCorrections)
			if err != nil {
				return err
			}
			for old, by := range d.Corrections {
				if err := b.Put(seqKey(old), seqKey(by)); err != nil {
					return err
				}
			}
		}
		if len(d.Pending) > 0 {
			b, err := tx.CreateBucketIfNotExists(bPending)
			if err != nil {
				return err
			}
			for u, p := range d.Pending {
				if err := b.Put([]byte(u), encode(p)); err != nil {
					return err
				}
			}
		}
		for _, r := range d.Supervision {
			b, err := tx.CreateBucketIfNotExists(svKinds[r.Kind])
			if err != nil {
				return err
			}
			if err := b.Put(planSeqKey(r.Plan, r.Seq), r.V); err != nil {
				return err
			}
			if r.Seq > b.Sequence() {
				if err := b.SetSequence(r.Seq); err != nil {
					return err
				}
			}
		}
		if len(d.Reminders) > 0 {
			b, err := tx.CreateBucketIfNotExists(bReminders)
			if err != nil {
				return err
			}
			for _, r := range d.Reminders {
				if err := b.Put(reminderKey(r.Plan, r.Round, r.Agency), binary.BigEndian.AppendUint64(nil, uint64(r.N))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return d.Records(), nil
}

// restore writes the dump into an empty etcd prefix, in transactions of
// at most 100 keys; the report counter goes last, so a restore cut short
// is seen as not empty and refused again rather than half-used.
func (s *EtcdStore) restore(ctx context.Context, d *Dump) (int, error) {
	octx, cancel := context.WithTimeout(ctx, 10*s.opTimeout)
	defer cancel()
	for _, p := range []string{s.k("seq"), s.k("pu/"), s.k("b/"), s.k("adm/"), s.k("plan/")} {
		resp, err := s.cli.Get(octx, p, clientv3.WithPrefix(), clientv3.WithCountOnly())
		if err != nil {
			return 0, &duban.Error{Code: duban.CodeUnavailable, Msg: unavailableWrite, Err: err}
		}
		if resp.Count > 0 {
			return 0, errNotEmpty
		}
	}
	var ops []clientv3.Op
	flush := func() error {
		if len(ops) == 0 {
			return nil
		}
		_, err := s.cli.Txn(octx).Then(ops...).Commit()
		ops = ops[:0]
		if err != nil {
			return &duban.Error{Code: duban.CodeUnavailable, Msg: unavailableWrite, Err: err}
		}
		return nil
	}
	add := func(k string, v []byte) error {
		ops = append(ops, clientv3.OpPut(k, string(v)))
		if len(ops) >= 100 {
			return flush()
		}
		return nil
	}
	var max uint64
	for _, seq := range sortedSeqs(d.Reports) {
		r := d.Reports[seq]
		sk := seqStr(seq)
		for _, kv := range []struct {
			k string
			v []byte
		}{
			{s.planKey(r.Plan, "r/", sk), encode(r)},
			{s.planKey(r.Plan, "i/", itemStr(r.Item), "/", sk), nil},
			{s.planKey(r.Plan, "a/", r.AuthorID, "\x00", sk), nil},
		} {
			if err := add(kv.k, kv.v); err != nil {
				return 0, err
			}
		}
		max = seq
	}
	used := map[string]bool{}
	for _, r := range d.Reports {
		if !used[r.Plan] {
			used[r.Plan] = true
			if err := add(s.k("pu/", r.Plan), nil); err != nil {
				return 0, err
			}
		}
	}
	for seq, r := range d.Retractions {
		if err := add(s.planKey(d.Reports[seq].Plan, "x/", seqStr(seq)), encode(r)); err != nil {
			return 0, err
		}
	}
	for _, seq := range d.latest() {
		r := d.Reports[seq]
		if err := add(s.planKey(r.Plan, "l/", itemStr(r.Item), "/", r.Agency), []byte(seqStr(seq))); err != nil {
			return 0, err
		}
	}
	for _, p := range d.Plans {
		nonce := newNonce()
		parts := 0
		for off := 0; off < len(p.Doc); off += planPiece {
			if err := add(fmt.Sprintf("%s%05d", s.k("plandoc/", p.ID, "/", nonce, "/"), parts), p.Doc[off:min(off+planPiece, len(p.Doc))]); err != nil {
				return 0, err
			}
			if err := flush(); err != nil { // a piece is large: one a transaction
				return 0, err
			}
			parts++
		}
		if err := add(s.k("plan/", p.ID), encode(etcdPlanRec{planRec: p.Rec, Nonce: nonce, Parts: parts, Size: len(p.Doc)})); err != nil {
			return 0, err
		}
	}
	for scope, id := range d.Choices {
		if err := add(s.k("choice/", scope), []byte(id)); err != nil {
			return 0, err
		}
	}
	for u, b := range d.Bindings {
		if err := add(s.k("b/", u), encode(b)); err != nil {
			return 0, err
		}
	}
	for u, a := range d.Admins {
		if err := add(s.k("adm/", u), encode(a)); err != nil {
			return 0, err
		}
	}
	for old, by := range d.Corrections {
		if err := add(s.planKey(d.Reports[old].Plan, "c/", seqStr(old)), []byte(seqStr(by))); err != nil {
			return 0, err
		}
	}
	for u, p := range d.Pending {
		if err := add(s.k("pend/", u), encode(p)); err != nil {
			return 0, err
		}
	}
	counters := map[string]uint64{}
	for _, r := range d.Supervision {
		if err := add(s.svKey(r.Plan, r.Kind, "/", seqStr(r.Seq)), r.V); err != nil {
			return 0, err
		}
		ck := s.svKey(r.Plan, r.Kind, "-seq")
		if r.Seq > counters[ck] {
			counters[ck] = r.Seq
		}
	}
	for ck, n := range counters {
		if err := add(ck, []byte(strconv.FormatUint(n, 10))); err != nil {
			return 0, err
		}
	}
	for _, r := range d.Reminders {
		if err := add(s.svKey(r.Plan, "remind/", r.Round, "\x00", r.Agency), []byte(strconv.Itoa(r.N))); err != nil {
			return 0, err
		}
	}
	if max > 0 {
		if err := add(s.k("seq"), []byte(strconv.FormatUint(max, 10))); err != nil {
			return 0, err
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return d.Records(), nil
}
