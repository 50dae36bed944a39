// Package store keeps everything written in chat: progress reports
// (append-only), the latest status of every (item, agency) pair, both per
// plan, the plans the office added and which plan each user, channel and
// the office use, user-to-agency bindings, admins, supervision's records,
// and the source and event ids already processed, so that a message
// delivered twice is stored once. Every report carries its plan's id, and
// a plan's reports are keyed by its id first; report numbers count across
// plans. It has two backends that pass the same contract
// (store/storetest) and both satisfy bot.Store (cmd/duban holds the
// compile-time checks):
//
//   - Store, a bbolt file in the data directory: the default, for one
//     process. Every write is one bbolt transaction and returns only after
//     it has been committed (and fsynced), so a caller that confirms a
//     report after AddUpdate returns never confirms something a crash can
//     lose. Values are decoded into fresh Go values inside the transaction
//     (nothing points into the memory map afterwards), and a value that
//     cannot be decoded is reported as an error, never a panic.
//   - EtcdStore, an etcd cluster shared by several replicas of the bot.
//     Every write is one etcd transaction that commits only if none of the
//     keys it read changed since, so report numbers and exactly-once hold
//     across replicas; reads of several keys are made at one revision.
//
// The etcd keys, under a prefix (default "duban/"), with PLAN the plan id:
//
//	schema                          schema version (2)
//	seq                             last report number, across plans
//	pu/PLAN                         a plan that has reports
//	p/PLAN/r/SEQ                    report (append-only)
//	p/PLAN/x/SEQ, p/PLAN/c/SEQ      its retraction; the report that corrected it
//	p/PLAN/i/ITEM/SEQ               history index of an item
//	p/PLAN/a/AUTHOR\x00SEQ          reports by an author
//	p/PLAN/l/ITEM/AGENCY            SEQ of the latest live report of the pair
//	p/PLAN/sv/KIND/SEQ, KIND-seq    deadline, review and setting records
//	p/PLAN/sv/remind/ROUND\x00AGENCY reminder count
//	p/PLAN/run/JOB                  last slot of a scheduled job claimed
//	b/USER, adm/USER, pend/USER     binding, admin, pending confirmation
//	plan/ID, plandoc/ID/NONCE/N     a plan the office added; its document in pieces
//	choice/SCOPE                    the plan of a user, a channel or everyone
//	src/ID, ev/ID, evc/ID           source id, processed event, event claim (leased)
//	elect/NAME/LEASE                the election of the replica that runs scheduled work
//
// SEQ is 20 decimal digits and ITEM 10, so keys sort by number; etcd.go
// says more. The package is the only importer of bbolt and of the etcd
// client; store/etcdtest (tests only) is the only importer of the etcd
// server.
package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"duban"
)

// FileName is the name of the database file inside the data directory.
const FileName = "duban.db"

// SchemaVersion is the layout of the buckets this code reads and writes. It
// is stored in the file and checked at open. Version 2 keys every report
// by its plan (LegacyPlanID for the reports of version 1, which Open
// migrates) and keeps the plans the office adds.
const SchemaVersion = 2

// LegacyPlanID is the plan the reports of a version 1 file are on: the
// one plan version 1 knew, the 2021 Fujian plan (seeds/fujian-2021-quality).
const LegacyPlanID = "fujian-2021-quality"

// DefaultTimeout is how long Open waits for another process to release the
// database before it gives up.
const DefaultTimeout = time.Second

// SourceTTL is how long processed source and event ids are remembered.
// Slack retries an event within minutes; a day is ample.
const SourceTTL = 24 * time.Hour

// LockedMessage is the user-facing message of the error Open returns when
// another process holds the database.
const LockedMessage = "数据目录正被另一个 duban 进程使用 (database is locked by another duban process)"

// Options tune Open. The zero value is what the program uses.
type Options struct {
	// Timeout is how long to wait for the file lock (0: DefaultTimeout).
	Timeout time.Duration
	// Now is the clock for record times and id expiry (nil: time.Now).
	Now func() time.Time
	// NoSocket disables the control socket through which `duban backup`
	// asks the process holding the database for a copy.
	NoSocket bool
	// NoSync skips fsync on commit. For benchmarks that build large files
	// only; never in the program.
	NoSync bool
	// LegacyPlan is the plan id a version 1 file's reports move under
	// when Open migrates it ("": LegacyPlanID).
	LegacyPlan string
}

// Store is the bbolt-backed store. It is safe for concurrent use.
type Store struct {
	db     *bolt.DB
	dir    string
	path   string
	now    func() time.Time
	ctl    *controlServer
	legacy string // the plan of a version 1 file's reports
	// instance identifies this Store value as the owner of event claims.
	instance string
}

// Bucket names. The layout is SchemaVersion 2: reports are keyed by plan
// (plan is the plan's id; ids hold no 0 byte).
var (
	bMeta        = []byte("meta")         // "schema" -> decimal version
	bReports     = []byte("reports")      // seq(8) -> updateRec (JSON, with its plan); append-only
	bByItem      = []byte("by_item")      // plan 0x00 item(4) seq(8) -> nothing
	bByAuthor    = []byte("by_author")    // author 0x00 seq(8) -> nothing (every plan)
	bLatest      = []byte("latest")       // plan 0x00 item(4) agency -> seq(8) of the latest live report
	bRetractions = []byte("retractions")  // seq(8) -> retractionRec (JSON)
	bBindings    = []byte("bindings")     // user id -> bindingRec (JSON)
	bAdmins      = []byte("admins")       // user id -> adminRec (JSON)
	bSources     = []byte("sources")      // source id -> sourceRec (JSON)
	bSourcesTime = []byte("sources_time") // unix nanos(8) source id -> nothing
	bEvents      = []byte("events")       // event id -> unix nanos(8)
	bEventsTime  = []byte("events_time")  // unix nanos(8) event id -> nothing
	bPlans       = []byte("plans")        // plan id -> planRec (JSON): the plans the office added
	bPlanDocs    = []byte("plan_docs")    // plan id -> the plan's document, as sent
	bPlanChoice  = []byte("plan_choice")  // scope ("user:U1", "channel:C1", "global") -> plan id

	allBuckets = [][]byte{bMeta, bReports, bByItem, bByAuthor, bLatest, bRetractions,
		bBindings, bAdmins, bSources, bSourcesTime, bEvents, bEventsTime, bPlans, bPlanDocs, bPlanChoice}

	keySchema = []byte("schema")
)

// ResolveDir returns the data directory: flagValue when it is not empty,
// else $DUBAN_DATA, else $XDG_DATA_HOME/duban, else ~/.local/share/duban.
func ResolveDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if d := os.Getenv("DUBAN_DATA"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "duban"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", duban.Errorf(duban.CodeInvalid, "无法确定数据目录，请用 --data 或 DUBAN_DATA 指定 (no data directory): %w", err)
	}
	return filepath.Join(home, ".local", "share", "duban"), nil
}

// Open opens (creating when needed) the database in dir. When another
// process holds it, Open gives up after the timeout with a *duban.Error of
// code CodeLocked. A file of another schema version, or one that is not a
// duban database, is refused with a clear error.
func Open(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, duban.Errorf(duban.CodeInvalid, "数据目录为空 (empty data directory)")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, duban.Errorf(duban.CodeInternal, "无法创建数据目录 %s (cannot create data directory): %w", dir, err)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	path := filepath.Join(dir, FileName)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		// bbolt would lay out a new database in it: every report and
		// binding would be gone without a word. A new database is made
		// only where there is no file at all.
		return nil, damaged(path, errors.New("the file is empty (0 bytes)"))
	}
	db, err := openBolt(path, &bolt.Options{Timeout: timeout, NoSync: opts.NoSync, FreelistType: bolt.FreelistMapType})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &duban.Error{Code: duban.CodeLocked, Msg: LockedMessage, Err: fmt.Errorf("%s: %w", path, err)}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, errDamaged):
		return nil, damaged(path, err)
	case err != nil:
		return nil, &duban.Error{Code: duban.CodeInternal, Msg: fmt.Sprintf("无法打开数据文件 %s (cannot open database)", path), Err: err}
	}
	s := &Store{db: db, dir: dir, path: path, now: opts.Now, instance: newInstanceID(), legacy: opts.LegacyPlan}
	if s.legacy == "" {
		s.legacy = LegacyPlanID
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.init(); err != nil {
		db.Close()
		if errors.Is(err, errDamaged) || errors.Is(err, errCorrupt) {
			return nil, damaged(path, err)
		}
		return nil, err
	}
	if !opts.NoSocket {
		// Without the socket a running bot cannot be backed up from
		// outside; everything else works, so this is not fatal.
		s.ctl, _ = listenControl(s)
	}
	return s, nil
}

// init checks that the file holds every page bbolt has written, then the
// schema version of an existing file, or lays out a new one.
func (s *Store) init() error {
	err := s.view(func(tx *bolt.Tx) error {
		fi, err := os.Stat(s.path)
		if err != nil {
			return err
		}
		if used := tx.Size(); fi.Size() < used {
			// Cut short (a full disk, a copy that stopped): the pages past
			// the end would fault when read.
			return fmt.Errorf("%w: the file has %d bytes, its pages need %d", errDamaged, fi.Size(), used)
		}
		if meta := tx.Bucket(bMeta); meta != nil && string(meta.Get(keySchema)) == "1" {
			return s.keepV1(tx) // a copy before the migration changes the file
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
				empty = false
				return nil
			})
			if !empty {
				return duban.Errorf(duban.CodeInternal, "数据文件 %s 不是 duban 数据库 (no schema version)", s.path)
			}
			for _, name := range allBuckets {
				if _, err := tx.CreateBucket(name); err != nil {
					return fmt.Errorf("create bucket %s: %w", name, err)
				}
			}
			return tx.Bucket(bMeta).Put(keySchema, fmt.Appendf(nil, "%d", SchemaVersion))
		}
		v := string(meta.Get(keySchema))
		if v == "1" {
			if err := s.migrateV1(tx); err != nil {
				return err
			}
			v = fmt.Sprint(SchemaVersion)
		}
		if v != fmt.Sprint(SchemaVersion) {
			return duban.Errorf(duban.CodeInternal, "数据文件 %s 的格式版本为 %q，本程序只支持版本 %d (schema version mismatch)", s.path, v, SchemaVersion)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				return duban.Errorf(duban.CodeInternal, "数据文件 %s 缺少 %s 分区，文件可能已损坏 (missing bucket)", s.path, name)
			}
		}
		return nil
	})
}

// Close stops the control socket and closes the database. It is safe to
// call more than once.
func (s *Store) Close() error {
	if s.ctl != nil {
		s.ctl.close()
		s.ctl = nil
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// Path returns the path of the database file.
func (s *Store) Path() string { return s.path }

// Check walks the whole file and returns the first inconsistency bbolt
// finds in its pages and free list, or nil.
func (s *Store) Check() error {
	return s.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return duban.Errorf(duban.CodeInternal, "数据文件 %s 校验失败 (consistency check failed): %w", s.path, err)
		}
		return nil
	})
}

// Size returns the size of the database file in bytes.
func (s *Store) Size() (int64, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0, fmt.Errorf("stat %s: %w", s.path, err)
	}
	return fi.Size(), nil
}

// errCorrupt is the cause of every error about a value that cannot be
// decoded.
var errCorrupt = errors.New("corrupt record")

// corrupt returns the error for a value that cannot be decoded.
func corrupt(what string, key []byte, err error) error {
	return duban.Errorf(duban.CodeInternal, "数据记录损坏 (%s %x): %w", what, key, errors.Join(errCorrupt, err))
}

// update runs fn in a read-write transaction and returns after commit. A
// panic inside (a damaged page), or a fault reading the memory map, becomes
// an error.
func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverInto(&err)
	err = s.db.Update(fn)
	return wrapDBErr(err)
}

// view runs fn in a read-only transaction. A panic inside, or a fault
// reading the memory map, becomes an error.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverInto(&err)
	err = s.db.View(fn)
	return wrapDBErr(err)
}

// errDamaged is the cause of every error about a file bbolt cannot read.
var errDamaged = errors.New("damaged database file")

// recoverInto turns a panic into an error. The message is short and
// fixed; the panic and its stack are the cause, for the log only.
func recoverInto(err *error) {
	if p := recover(); p != nil {
		*err = &duban.Error{Code: duban.CodeInternal, Msg: "数据文件读取失败，文件可能已损坏 (database panic)",
			Err: fmt.Errorf("%w: %v\n%s", errDamaged, p, debug.Stack())}
	}
}

// damaged is the error for a database file that cannot be used as it is:
// it names the file and says to restore it from a backup.
func damaged(path string, cause error) error {
	return &duban.Error{Code: duban.CodeInternal,
		Msg: fmt.Sprintf("数据文件 %s 已损坏或不是有效的 duban 数据库，无法打开。请从备份恢复：停止 duban，把 duban backup 生成的备份文件复制为 %s 后再启动 "+
			"(the database file is damaged or invalid; restore it from a backup)", path, path),
		Err: cause}
}

// openBolt is bolt.Open for a file that may be damaged: a panic or a
// memory fault while bbolt reads it becomes an error (errDamaged), and the
// file it opened is closed again, which releases its lock.
func openBolt(path string, o *bolt.Options) (db *bolt.DB, err error) {
	var f *os.File
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if f != nil {
				unlockFile(f)
				f.Close()
			}
			db, err = nil, fmt.Errorf("%w: %v", errDamaged, p)
		}
	}()
	return bolt.Open(path, 0o600, o)
}

// wrapDBErr leaves duban errors alone and gives the others a code.
func wrapDBErr(err error) error {
	if err == nil {
		return nil
	}
	var de *duban.Error
	if errors.As(err, &de) {
		return err
	}
	// The message is fixed: the cause may name server paths ("write
	// /srv/…/duban.db: no space left on device") and is for the log.
	if errors.Is(err, berrors.ErrDatabaseNotOpen) || errors.Is(err, fs.ErrClosed) {
		return &duban.Error{Code: duban.CodeInternal, Msg: "数据库已关闭 (database closed)", Err: err}
	}
	return &duban.Error{Code: duban.CodeInternal, Msg: "数据库操作失败 (database error)", Err: err}
}

// ctxErr returns the context's error as a duban error, or nil.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return duban.Errorf(duban.CodeInternal, "请求已取消 (cancelled): %w", err)
	}
	return nil
}
