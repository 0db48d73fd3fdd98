#!/usr/bin/env bash
# Regenerate the tlsdiff test PKI (see README.md in this directory).
#
# Uses only the openssl CLI (tested with OpenSSL 3.0). Every certificate gets a
# fixed validity window (2025-01-01T00:00:00Z .. 2036-01-01T00:00:00Z) and a fixed
# serial number, so the only thing that changes between runs is the key material
# (and therefore SKI/AKI values and signatures).
#
# Can be run from any working directory; writes into the directory that holds
# this script and deletes all previously generated output first.
set -euo pipefail

PKI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$PKI_DIR"

OPENSSL="${OPENSSL:-openssl}"

START_DATE="20250101000000Z"
END_DATE="20360101000000Z"
EXPECT_NOT_BEFORE="notBefore=Jan  1 00:00:00 2025 GMT"
EXPECT_NOT_AFTER="notAfter=Jan  1 00:00:00 2036 GMT"
# Fixed harness clock: 2026-01-01T00:00:00Z
VERIFY_AT=1767225600

# name|key algorithm|issuer|serial (hex)|extension section|subject
CERTS=(
  "root-ca|rsa2048|self|1001|ext_root_ca|/O=tlsdiff/CN=tlsdiff Test Root CA"
  "intermediate-ca|rsa2048|root-ca|1002|ext_intermediate_ca|/O=tlsdiff/CN=tlsdiff Test Intermediate CA"
  "server-rsa2048|rsa2048|intermediate-ca|1003|ext_server_rsa|/CN=server.tlsdiff.test"
  "server-p256|p256|intermediate-ca|1004|ext_server_ec|/CN=server.tlsdiff.test"
  "server-p384|p384|intermediate-ca|1005|ext_server_ec|/CN=server.tlsdiff.test"
  "server-ed25519|ed25519|intermediate-ca|1006|ext_server_ec|/CN=server.tlsdiff.test"
  "client-ca|rsa2048|self|1007|ext_client_ca|/O=tlsdiff/CN=tlsdiff Test Client CA"
  "client-p256|p256|client-ca|1008|ext_client|/CN=client.tlsdiff.test"
  "client-rsa2048|rsa2048|client-ca|1009|ext_client|/CN=client.tlsdiff.test"
)

# ---------------------------------------------------------------------------
# Clean previous output (only files this script generates).
# ---------------------------------------------------------------------------
rm -f -- ./*.key.pem ./*.crt.pem ./*.chain.pem ./*.crt.der ./*.csr.pem \
         ./index.txt* ./serial* ./*.old ./*.cnf

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tlsdiff-pki.XXXXXX")"
cleanup() { rm -rf -- "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/newcerts"

cat >"$WORK/ca.cnf" <<EOF
[ req ]
distinguished_name = req_dn
prompt             = no
utf8               = yes
string_mask        = utf8only

[ req_dn ]
CN = placeholder

[ ca ]
default_ca = tlsdiff_ca

[ tlsdiff_ca ]
dir             = $WORK
database        = $WORK/index.txt
new_certs_dir   = $WORK/newcerts
serial          = $WORK/serial
default_md      = sha256
policy          = policy_anything
unique_subject  = no
email_in_dn     = no
copy_extensions = none
default_days    = 1

[ policy_anything ]
organizationName = optional
commonName       = supplied

[ ext_root_ca ]
basicConstraints     = critical, CA:TRUE
keyUsage             = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ ext_intermediate_ca ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_client_ca ]
basicConstraints     = critical, CA:TRUE
keyUsage             = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ server_san ]
DNS.1 = server.tlsdiff.test
DNS.2 = localhost
IP.1  = 127.0.0.1

[ ext_server_rsa ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @server_san
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_server_ec ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = @server_san
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF

genkey() { # <alg> <out>
  local alg="$1" out="$2"
  case "$alg" in
    rsa2048) "$OPENSSL" genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out" ;;
    p256)    "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
                 -pkeyopt ec_param_enc:named_curve -out "$out" ;;
    p384)    "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
                 -pkeyopt ec_param_enc:named_curve -out "$out" ;;
    ed25519) "$OPENSSL" genpkey -quiet -algorithm ED25519 -out "$out" ;;
    *) echo "gen.sh: unknown key algorithm $alg" >&2; exit 1 ;;
  esac
  # genpkey writes unencrypted PKCS#8; double-check.
  head -n1 "$out" | grep -qx -- '-----BEGIN PRIVATE KEY-----' \
    || { echo "gen.sh: $out is not an unencrypted PKCS#8 key" >&2; exit 1; }
}

for entry in "${CERTS[@]}"; do
  IFS='|' read -r name alg issuer serial ext subj <<<"$entry"
  echo "== $name ($alg, serial 0x$serial, issuer $issuer)"

  genkey "$alg" "$name.key.pem"
  "$OPENSSL" req -new -config "$WORK/ca.cnf" -key "$name.key.pem" \
      -subj "$subj" -out "$WORK/$name.csr.pem"

  # Fresh database per certificate; serial fixed per certificate.
  : >"$WORK/index.txt"
  echo "$serial" >"$WORK/serial"

  if [[ "$issuer" == self ]]; then
    issuer_args=(-selfsign -keyfile "$name.key.pem")
  else
    issuer_args=(-cert "$issuer.crt.pem" -keyfile "$issuer.key.pem")
  fi

  "$OPENSSL" ca -config "$WORK/ca.cnf" -batch -notext -preserveDN -md sha256 \
      -startdate "$START_DATE" -enddate "$END_DATE" \
      -extensions "$ext" "${issuer_args[@]}" \
      -in "$WORK/$name.csr.pem" -out "$name.crt.pem" 2>"$WORK/ca.log" \
    || { cat "$WORK/ca.log" >&2; exit 1; }

  "$OPENSSL" x509 -in "$name.crt.pem" -outform DER -out "$name.crt.der"

  case "$name" in
    server-*) cat "$name.crt.pem" intermediate-ca.crt.pem >"$name.chain.pem" ;;
    client-ca) ;;
    client-*) cat "$name.crt.pem" >"$name.chain.pem" ;;
  esac
done

# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
fail=0
check() { # <description> <command...>
  local desc="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then
    echo "ok:   $desc"
  else
    echo "FAIL: $desc" >&2
    echo "$out" >&2
    fail=1
  fi
}

for entry in "${CERTS[@]}"; do
  IFS='|' read -r name alg issuer serial ext subj <<<"$entry"

  dates="$("$OPENSSL" x509 -in "$name.crt.pem" -noout -dates)"
  expect="$EXPECT_NOT_BEFORE"$'\n'"$EXPECT_NOT_AFTER"
  if [[ "$dates" == "$expect" ]]; then
    echo "ok:   $name dates"
  else
    echo "FAIL: $name dates: got '$dates'" >&2; fail=1
  fi

  got_serial="$("$OPENSSL" x509 -in "$name.crt.pem" -noout -serial)"
  if [[ "$got_serial" == "serial=$serial" ]]; then
    echo "ok:   $name serial 0x$serial"
  else
    echo "FAIL: $name serial: got '$got_serial', want serial=$serial" >&2; fail=1
  fi

  sigalg="$("$OPENSSL" x509 -in "$name.crt.pem" -noout -text | grep -m1 'Signature Algorithm' | sed 's/.*: //')"
  if [[ "$sigalg" == sha256WithRSAEncryption ]]; then
    echo "ok:   $name signed with $sigalg"
  else
    echo "FAIL: $name signature algorithm: got '$sigalg'" >&2; fail=1
  fi

  # DER must be the same certificate as the PEM.
  if cmp -s <("$OPENSSL" x509 -in "$name.crt.pem" -outform DER) "$name.crt.der"; then
    echo "ok:   $name.crt.der matches PEM"
  else
    echo "FAIL: $name.crt.der differs from PEM" >&2; fail=1
  fi

  # Key matches certificate.
  if cmp -s <("$OPENSSL" x509 -in "$name.crt.pem" -noout -pubkey) \
            <("$OPENSSL" pkey -in "$name.key.pem" -pubout); then
    echo "ok:   $name key matches certificate"
  else
    echo "FAIL: $name key does not match certificate" >&2; fail=1
  fi
done

check "root-ca self-signed" \
  "$OPENSSL" verify -x509_strict -attime "$VERIFY_AT" -CAfile root-ca.crt.pem root-ca.crt.pem
check "client-ca self-signed" \
  "$OPENSSL" verify -x509_strict -attime "$VERIFY_AT" -CAfile client-ca.crt.pem client-ca.crt.pem
check "intermediate-ca <- root-ca" \
  "$OPENSSL" verify -x509_strict -attime "$VERIFY_AT" -CAfile root-ca.crt.pem intermediate-ca.crt.pem

for leaf in server-rsa2048 server-p256 server-p384 server-ed25519; do
  check "$leaf <- intermediate-ca <- root-ca (sslserver, localhost, 127.0.0.1)" \
    "$OPENSSL" verify -x509_strict -attime "$VERIFY_AT" -purpose sslserver \
      -verify_hostname server.tlsdiff.test -CAfile root-ca.crt.pem \
      -untrusted intermediate-ca.crt.pem "$leaf.crt.pem"
  check "$leaf verifies for localhost" \
    "$OPENSSL" verify -attime "$VERIFY_AT" -verify_hostname localhost \
      -CAfile root-ca.crt.pem -untrusted intermediate-ca.crt.pem "$leaf.crt.pem"
  check "$leaf verifies for 127.0.0.1" \
    "$OPENSSL" verify -attime "$VERIFY_AT" -verify_ip 127.0.0.1 \
      -CAfile root-ca.crt.pem -untrusted intermediate-ca.crt.pem "$leaf.crt.pem"
  # The chain file alone (leaf + intermediate) must be enough given the root.
  check "$leaf.chain.pem <- root-ca" \
    "$OPENSSL" verify -attime "$VERIFY_AT" -CAfile root-ca.crt.pem \
      -untrusted "$leaf.chain.pem" "$leaf.crt.pem"
done

for leaf in client-p256 client-rsa2048; do
  check "$leaf <- client-ca (sslclient)" \
    "$OPENSSL" verify -x509_strict -attime "$VERIFY_AT" -purpose sslclient \
      -CAfile client-ca.crt.pem "$leaf.crt.pem"
done

# The combined forms from the README, as a single invocation each.
check "combined server verify" \
  "$OPENSSL" verify -attime "$VERIFY_AT" -CAfile root-ca.crt.pem \
    -untrusted intermediate-ca.crt.pem \
    server-rsa2048.crt.pem server-p256.crt.pem server-p384.crt.pem server-ed25519.crt.pem
check "combined client verify" \
  "$OPENSSL" verify -attime "$VERIFY_AT" -CAfile client-ca.crt.pem \
    client-p256.crt.pem client-rsa2048.crt.pem

# Negative checks: server leaves must not chain to the client CA and vice versa.
if "$OPENSSL" verify -attime "$VERIFY_AT" -CAfile client-ca.crt.pem \
     -untrusted intermediate-ca.crt.pem server-p256.crt.pem >/dev/null 2>&1; then
  echo "FAIL: server-p256 unexpectedly verifies against client-ca" >&2; fail=1
else
  echo "ok:   server-p256 does not verify against client-ca (expected)"
fi
if "$OPENSSL" verify -attime "$VERIFY_AT" -CAfile root-ca.crt.pem \
     client-p256.crt.pem >/dev/null 2>&1; then
  echo "FAIL: client-p256 unexpectedly verifies against root-ca" >&2; fail=1
else
  echo "ok:   client-p256 does not verify against root-ca (expected)"
fi

if [[ "$fail" -ne 0 ]]; then
  echo "gen.sh: verification FAILED" >&2
  exit 1
fi
echo "gen.sh: all certificates generated and verified in $PKI_DIR"
