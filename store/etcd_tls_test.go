package store

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/store/etcdtest"
	"duban/store/storetest"
)

// writeCerts makes a CA, a server certificate for 127.0.0.1 and a client
// certificate, all signed by the CA, as PEM files in dir.
func writeCerts(t *testing.T, dir string) *etcdtest.TLSFiles {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "duban test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	leaf := func(serial int64, cn string) (string, string) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, _ := x509.MarshalECPrivateKey(key)
		return write(cn+".pem", "CERTIFICATE", der), write(cn+"-key.pem", "EC PRIVATE KEY", kb)
	}
	f := &etcdtest.TLSFiles{CA: write("ca.pem", "CERTIFICATE", caDER)}
	f.ServerCert, f.ServerKey = leaf(2, "server")
	f.ClientCert, f.ClientKey = leaf(3, "client")
	return f
}

// TestEtcdTLSAndAuth: a cluster that serves clients only over TLS with
// client certificates, and with authentication on, is used with the CA,
// the client certificate and key, and a user and password; without the
// certificate, or with a wrong password, opening fails with a clear error.
func TestEtcdTLSAndAuth(t *testing.T) {
	files := writeCerts(t, t.TempDir())
	c := etcdtest.Start(t, 3, etcdtest.Options{TLS: files})
	if err := c.EnableAuth(context.Background(), "rootpw", "dubanpw"); err != nil {
		t.Fatal(err)
	}
	opts := EtcdOptions{Endpoints: c.Endpoints(), CAFile: files.CA, CertFile: files.ClientCert, KeyFile: files.ClientKey,
		Username: "duban", Password: "dubanpw", DialTimeout: 3 * time.Second}
	s, err := OpenEtcd(context.Background(), opts)
	if err != nil {
		t.Fatalf("OpenEtcd over TLS with a user: %v", err)
	}
	defer s.Close()
	u := storetest.Report(3, "省林业局", "U1", "tls1", "经由TLS保存", duban.StatusInProgress)
	if got, _, err := s.AddUpdate(ctx, u); err != nil || got.Seq != 1 {
		t.Fatalf("AddUpdate over TLS = %+v, %v", got, err)
	}
	if ok, err := s.ClaimEvent(ctx, "EvTLS", time.Minute); !ok || err != nil {
		t.Errorf("ClaimEvent over TLS (a leased key) = %v, %v", ok, err)
	}
	if h, err := s.History(ctx, LegacyPlanID, 3); err != nil || len(h) != 1 {
		t.Errorf("History over TLS = %v, %v", h, err)
	}

	bad := opts
	bad.Password = "wrong"
	if _, err := OpenEtcd(context.Background(), bad); err == nil || !strings.Contains(duban.UserMessage(err), "用户名") {
		t.Errorf("a wrong password = %v, want a refusal naming the user name and password", err)
	}
	noCert := opts
	noCert.CertFile, noCert.KeyFile = "", ""
	if _, err := OpenEtcd(context.Background(), noCert); err == nil {
		t.Error("OpenEtcd without the client certificate succeeded")
	}
	half := opts
	half.KeyFile = ""
	if _, err := OpenEtcd(context.Background(), half); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a certificate without its key = %v, want invalid", err)
	}
	missing := opts
	missing.CAFile = filepath.Join(t.TempDir(), "none.pem")
	if _, err := OpenEtcd(context.Background(), missing); duban.ErrorCode(err) != duban.CodeInvalid || !strings.Contains(duban.UserMessage(err), "--etcd-ca") {
		t.Errorf("a missing CA file = %v, want invalid naming --etcd-ca", err)
	}
}
