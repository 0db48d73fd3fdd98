#!/usr/bin/env bash
# The reference engine over TCP on loopback against independent
# implementations (issue 4, "TCP interop"):
#   - tlsdiff serve against openssl s_client and gnutls-cli;
#   - tlsdiff connect against openssl s_server (-rev: it answers each line
#     reversed) and gnutls-serv (--echo);
#   - TLS 1.3 with its three suites and three groups, TLS 1.2 with ECDHE_RSA,
#     ECDHE_ECDSA and static RSA (TLS_RSA_WITH_AES_128_GCM_SHA256) suites,
#     client authentication both ways, TLS 1.2 resumption by session ID;
#   - each case checks the handshake line tlsdiff prints (version, suite,
#     group, client_auth, resumed) against what the peer was configured to
#     allow, and the application data both ways: the text the peer sent
#     comes back (serve echoes), the text connect sent comes back echoed or
#     reversed by the peer;
#   - the key log: with SSLKEYLOGFILE set, tlsdiff's lines for the
#     connection's client random equal the ones openssl writes for the same
#     connection (-keylogfile): the five TLS 1.3 labels, or CLIENT_RANDOM
#     for TLS 1.2;
#   - refusals: no client certificate where one is required gives
#     certificate_required in TLS 1.3 (RFC 8446 4.4.2.4) and
#     handshake_failure in TLS 1.2 (RFC 5246 7.4.6); a server certificate
#     from a CA the client does not trust gives unknown_ca (RFC 8446 6.2,
#     RFC 5246 7.2.2), exit status 1.
# Servers are started and stopped here, on free loopback ports (tlsdiff
# serve and openssl s_server bind port 0 and print it; gnutls-serv gets a
# port found free, retried if taken). Every wait is bounded.
set -u
tlsdiff=$1
vectors=$2
export TLSDIFF_VECTORS=$vectors
pki=$vectors/pki
tmp=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
unset SSLKEYLOGFILE
fail=0
cases=0
failed_cases=0

say_fail() { echo "FAIL: $*"; fail=1; }
# wait_for FILE ERE SECONDS
wait_for() {
    local i=0 n=$(($3 * 20))
    while [ $i -lt $n ]; do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
has() { # description, file, ERE
    if ! grep -qE -- "$3" "$2"; then
        say_fail "$1: no '$3' in $(basename "$2"):"
        sed 's/^/    /' "$2" | tail -25
    fi
}
# stop PID [SIGNAL]: one signal (default TERM; one only: a second one
# during LeakSanitizer's exit check can hang an ASan build), at most 10 s,
# then SIGKILL; the exit status. PID is a timeout(1) --foreground process
# or the program itself.
stop() {
    local i
    kill -"${2:-TERM}" "$1" 2>/dev/null
    for i in $(seq 200); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$1" 2>/dev/null
    wait "$1"
}
reverse() { python3 -c 'import sys; print(sys.argv[1][::-1])' "$1"; }
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
case_begin() { cases=$((cases + 1)); case_fail=$fail; fail=0; }
case_end() { # name
    [ "$fail" -eq 0 ] || { failed_cases=$((failed_cases + 1)); echo "  case $1 failed"; }
    fail=$((fail | case_fail))
}
# keylog_match NAME OPENSSL_KEYLOG TLSDIFF_KEYLOG LABEL...: for the client
# random of the connection openssl logged, each label's line is in both.
keylog_match() {
    local name=$1 ours=$3 theirs=$2 cr label line
    shift 3
    cr=$(awk -v l="$1" '$1 == l && NF == 3 { print $2; exit }' "$theirs" 2>/dev/null)
    if [ -z "$cr" ]; then say_fail "$name: openssl wrote no key log"; return; fi
    for label in "$@"; do
        line=$(grep -E "^$label $cr [0-9a-f]+$" "$theirs" | head -1)
        if [ -z "$line" ]; then say_fail "$name: openssl logged no $label"; continue; fi
        grep -qxF -- "$line" "$ours" || say_fail "$name: tlsdiff key log lacks '$line'"
    done
}
TLS13_LABELS="CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET"

have_gnutls=1
command -v gnutls-cli >/dev/null && command -v gnutls-serv >/dev/null || have_gnutls=0
command -v openssl >/dev/null || { echo "FAIL: openssl is not installed"; exit 1; }

# ------------------------------------------------------------------------
# tlsdiff serve
# ------------------------------------------------------------------------
start_serve() { # profile
    serve_out=$tmp/serve-$1.out
    serve_err=$tmp/serve-$1.err
    serve_kl=$tmp/serve-$1.keylog
    serve_k=0
    # --foreground: timeout(1) passes a signal on to serve once (without
    # it, once more through the process group)
    SSLKEYLOGFILE=$serve_kl timeout --foreground 300 "$tlsdiff" serve --port 0 --profile "$1" \
        --timeout 5 >"$serve_out" 2>"$serve_err" &
    serve_pid=$!
    pids="$pids $serve_pid"
    if ! wait_for "$serve_out" '^listening on 127\.0\.0\.1:[0-9]+ ' 10; then
        say_fail "serve --profile $1 did not start:"
        cat "$serve_err"
        return 1
    fi
    serve_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$serve_out")
}
# stop_serve SIGNAL EXPECTED_STATUS: the server finishes and says so
stop_serve() {
    local rc
    stop "$serve_pid" "$1"
    rc=$?
    [ "$rc" -eq "$2" ] || say_fail "serve: exit $rc after SIG$1, expected $2"
    has "serve stops on SIG$1" "$serve_out" "^stopped: $serve_k connections"
}

# serve_case NAME EXPECT TEXT CLIENT-COMMAND...
# The client's stdin is a fifo. Once serve has printed this connection's
# handshake line, TEXT and a newline are written; the echo must appear in
# the client's output; then stdin is closed, so the client sends
# close_notify and exits. An empty TEXT: a refused handshake.
serve_case() {
    local name=$1 expect=$2 text=$3 in out cpid k
    shift 3
    case_begin
    in=$tmp/$name.in
    out=$tmp/$name.out
    serve_k=$((serve_k + 1))
    k=$serve_k
    mkfifo "$in"
    timeout 20 "$@" <"$in" >"$out" 2>&1 &
    cpid=$!
    exec 3>"$in"
    if wait_for "$serve_out" "^\[$k\] [0-9.:]+ handshake " 10; then
        has "$name: handshake line" "$serve_out" "^\[$k\] [0-9.:]+ handshake $expect"
        if [ -n "$text" ]; then
            printf '%s\n' "$text" >&3
            wait_for "$out" "^$text\$" 10 ||
                { say_fail "$name: '$text' did not come back:"; tail -5 "$out"; }
        fi
    else
        say_fail "$name: serve printed no handshake line"
        tail -5 "$out"
    fi
    exec 3>&-
    wait "$cpid"
    if [ -n "$text" ]; then
        wait_for "$serve_out" "^\[$k\] .* closed: " 10
        has "$name: echoed, closed with close_notify" "$serve_out" \
            "^\[$k\] [0-9.:]+ closed: $((${#text} + 1)) bytes received, $((${#text} + 1)) echoed, close_notify received, alert=none"
    fi
}

ca="-CAfile $pki/root-ca.crt.pem -verify_return_error"
s_client="openssl s_client -connect"

start_serve server-rsa && {
    t13() { # name suite group expect-suite expect-group
        serve_case "s_client-$1" \
            "ok version=TLSv1\.3 suite=$4 group=$5 sig=rsa_pss_rsae_sha256 resumed=no client_auth=no alert=none" \
            "hello-$1" $s_client 127.0.0.1:$serve_port $ca -brief -tls1_3 \
            -ciphersuites "$2" -groups "$3" -keylogfile "$tmp/$1.kl"
        keylog_match "s_client-$1" "$tmp/$1.kl" "$serve_kl" $TLS13_LABELS
        case_end "s_client-$1"
    }
    t13 aes128 TLS_AES_128_GCM_SHA256 X25519 TLS_AES_128_GCM_SHA256 x25519
    t13 aes256 TLS_AES_256_GCM_SHA384 secp384r1 TLS_AES_256_GCM_SHA384 secp384r1
    t13 chacha TLS_CHACHA20_POLY1305_SHA256 P-256 TLS_CHACHA20_POLY1305_SHA256 secp256r1

    t12() { # name openssl-cipher expect-suite expect-group extra...
        local n=$1 c=$2 s=$3 g=$4
        shift 4
        serve_case "s_client-$n" \
            "ok version=TLSv1\.2 suite=$s group=$g .*resumed=no client_auth=no alert=none" \
            "hello-$n" $s_client 127.0.0.1:$serve_port $ca -brief -tls1_2 \
            -cipher "$c" -keylogfile "$tmp/$n.kl" "$@"
        keylog_match "s_client-$n" "$tmp/$n.kl" "$serve_kl" CLIENT_RANDOM
        case_end "s_client-$n"
    }
    # static RSA (RFC 5246 7.4.7.1): no ServerKeyExchange, so no group
    t12 rsa128 AES128-GCM-SHA256 TLS_RSA_WITH_AES_128_GCM_SHA256 none \
        -sess_out "$tmp/rsa128.sess"
    t12 ecdhe-rsa256 ECDHE-RSA-AES256-GCM-SHA384 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 x25519
    t12 ecdhe-rsa-chacha ECDHE-RSA-CHACHA20-POLY1305 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 secp384r1 \
        -curves secp384r1

    # TLS 1.2 resumption by session ID (RFC 5246 7.4.1.2): the session of
    # the static RSA connection, offered again
    serve_case s_client-resume \
        "ok version=TLSv1\.2 suite=TLS_RSA_WITH_AES_128_GCM_SHA256 group=none .*resumed=yes" \
        "hello-resume" $s_client 127.0.0.1:$serve_port $ca -brief -tls1_2 \
        -cipher AES128-GCM-SHA256 -sess_in "$tmp/rsa128.sess"
    case_end s_client-resume

    if [ $have_gnutls -eq 1 ]; then
        g() { # name priority expect
            serve_case "gnutls-cli-$1" "$3" "hello-gnutls-$1" \
                gnutls-cli -p "$serve_port" --x509cafile "$pki/root-ca.crt.pem" \
                --priority "$2" 127.0.0.1
            case_end "gnutls-cli-$1"
        }
        g tls13-aes256 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM:-GROUP-ALL:+GROUP-SECP256R1' \
            'ok version=TLSv1\.3 suite=TLS_AES_256_GCM_SHA384 group=secp256r1 '
        g tls13-chacha 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-X25519' \
            'ok version=TLSv1\.3 suite=TLS_CHACHA20_POLY1305_SHA256 group=x25519 '
        g tls13-aes128 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:-GROUP-ALL:+GROUP-SECP384R1' \
            'ok version=TLSv1\.3 suite=TLS_AES_128_GCM_SHA256 group=secp384r1 '
        g tls12-rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-GCM' \
            'ok version=TLSv1\.2 suite=TLS_RSA_WITH_AES_128_GCM_SHA256 group=none '
        g tls12-ecdhe 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-256-GCM' \
            'ok version=TLSv1\.2 suite=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 '
        g tls12-chacha 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+CHACHA20-POLY1305' \
            'ok version=TLSv1\.2 suite=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 '
    fi
    stop_serve TERM 0
}

start_serve server-ecdsa && {
    serve_case s_client-ecdsa13 \
        "ok version=TLSv1\.3 suite=TLS_AES_128_GCM_SHA256 group=x25519 sig=ecdsa_secp256r1_sha256 " \
        hello-ecdsa13 $s_client 127.0.0.1:$serve_port $ca -brief -tls1_3
    case_end s_client-ecdsa13
    serve_case s_client-ecdsa12 \
        "ok version=TLSv1\.2 suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 group=secp256r1 sig=ecdsa_secp256r1_sha256 " \
        hello-ecdsa12 $s_client 127.0.0.1:$serve_port $ca -brief -tls1_2 \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -curves prime256v1
    case_end s_client-ecdsa12
    serve_case s_client-ecdsa12-chacha \
        "ok version=TLSv1\.2 suite=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 " \
        hello-ecdsa12c $s_client 127.0.0.1:$serve_port $ca -brief -tls1_2 \
        -cipher ECDHE-ECDSA-CHACHA20-POLY1305
    case_end s_client-ecdsa12-chacha
    if [ $have_gnutls -eq 1 ]; then
        serve_case gnutls-cli-ecdsa12 \
            "ok version=TLSv1\.2 suite=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 " \
            hello-gnutls-ecdsa12 gnutls-cli -p "$serve_port" --x509cafile "$pki/root-ca.crt.pem" \
            --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:-CIPHER-ALL:+AES-256-GCM' 127.0.0.1
        case_end gnutls-cli-ecdsa12
    fi
    # SIGINT while a client is connected: that connection still ends with
    # close_notify (RFC 8446 6.1), which the client reads instead of an
    # unexpected EOF, and serve exits 0
    case_begin
    serve_k=$((serve_k + 1))
    mkfifo "$tmp/sigint.in"
    timeout 20 $s_client 127.0.0.1:$serve_port $ca -brief <"$tmp/sigint.in" >"$tmp/sigint.out" 2>&1 &
    cpid=$!
    exec 3>"$tmp/sigint.in"
    wait_for "$serve_out" "^\[$serve_k\] [0-9.:]+ handshake ok " 10 ||
        say_fail "sigint: no handshake line"
    stop_serve INT 0
    exec 3>&-
    wait "$cpid"
    has "sigint: the open connection closed" "$serve_out" "^\[$serve_k\] [0-9.:]+ closed: 0 bytes received, 0 echoed, stopped, alert=none"
    if grep -qi "unexpected eof" "$tmp/sigint.out"; then
        say_fail "sigint: the client saw no close_notify:"
        tail -3 "$tmp/sigint.out"
    fi
    case_end serve-sigint
}

start_serve server-rsa-clientauth && {
    serve_case s_client-auth13 \
        "ok version=TLSv1\.3 .*client_auth=yes alert=none" hello-auth13 \
        $s_client 127.0.0.1:$serve_port $ca -brief -tls1_3 \
        -cert "$pki/client-rsa2048.crt.pem" -key "$pki/client-rsa2048.key.pem"
    case_end s_client-auth13
    serve_case s_client-auth12 \
        "ok version=TLSv1\.2 .*client_auth=yes alert=none" hello-auth12 \
        $s_client 127.0.0.1:$serve_port $ca -brief -tls1_2 \
        -cert "$pki/client-p256.crt.pem" -key "$pki/client-p256.key.pem"
    case_end s_client-auth12
    if [ $have_gnutls -eq 1 ]; then
        serve_case gnutls-cli-auth13 \
            "ok version=TLSv1\.3 .*client_auth=yes alert=none" hello-gnutls-auth13 \
            gnutls-cli -p "$serve_port" --x509cafile "$pki/root-ca.crt.pem" \
            --x509certfile "$pki/client-p256.crt.pem" --x509keyfile "$pki/client-p256.key.pem" \
            --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' 127.0.0.1
        case_end gnutls-cli-auth13
    fi
    # RFC 8446 4.4.2.4: "If the client does not send any certificates ...
    # the server MAY at its discretion ... abort the handshake with a
    # "certificate_required" alert."
    serve_case s_client-noauth13 \
        "failed version=TLSv1\.3 .*alert=sent:certificate_required" "" \
        $s_client 127.0.0.1:$serve_port $ca -brief -tls1_3
    case_end s_client-noauth13
    # RFC 5246 7.4.6: the server "MAY ... respond with a fatal
    # handshake_failure alert" when the client sends no certificate
    serve_case s_client-noauth12 \
        "failed version=TLSv1\.2 .*alert=sent:handshake_failure" "" \
        $s_client 127.0.0.1:$serve_port $ca -brief -tls1_2
    case_end s_client-noauth12
    # two handshakes failed: exit status 1
    stop_serve TERM 1
}

# --count: the server stops by itself after N connections
case_begin
timeout 60 "$tlsdiff" serve --port 0 --count 1 --timeout 5 >"$tmp/count.out" 2>&1 &
cpid=$!
pids="$pids $cpid"
if wait_for "$tmp/count.out" '^listening on ' 10; then
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$tmp/count.out")
    timeout 20 "$tlsdiff" connect 127.0.0.1:$port --profile server-rsa --send count-ping \
        --timeout 5 >"$tmp/count.client" 2>&1
    rc=$?
    [ $rc -eq 0 ] || say_fail "connect to serve: exit $rc"
    has "ref client to ref server" "$tmp/count.client" "^handshake ok version=TLSv1\.3 "
    has "ref client to ref server: echo" "$tmp/count.client" "^received: count-ping$"
    wait "$cpid"
    rc=$?
    [ $rc -eq 0 ] || say_fail "serve --count 1: exit $rc"
    has "serve --count 1 stops" "$tmp/count.out" "^stopped: 1 connections, 0 handshakes failed"
else
    say_fail "serve --count 1 did not start"
fi
case_end serve-count

# ------------------------------------------------------------------------
# tlsdiff connect
# ------------------------------------------------------------------------
# connect_case NAME EXPECTED_STATUS EXPECT ANSWER TEXT PORT [connect options...]
connect_case() {
    local name=$1 want=$2 expect=$3 answer=$4 text=$5 port=$6 rc
    shift 6
    SSLKEYLOGFILE=$tmp/$name.ours timeout 30 "$tlsdiff" connect 127.0.0.1:$port \
        --send "$text" --timeout 5 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    [ $rc -eq "$want" ] || { say_fail "$name: exit $rc, expected $want"; cat "$tmp/$name.err"; }
    has "$name: handshake line" "$tmp/$name.out" "^handshake $expect"
    [ -z "$answer" ] || has "$name: answer" "$tmp/$name.out" "^received: $answer\$"
}

# s_server NAME ARGS...: one connection, port from its ACCEPT line
s_server() {
    local name=$1
    shift
    ss_out=$tmp/$name.server
    timeout 60 openssl s_server -accept 127.0.0.1:0 -naccept 1 -rev \
        -keylogfile "$tmp/$name.theirs" "$@" >"$ss_out" 2>&1 &
    ss_pid=$!
    pids="$pids $ss_pid"
    wait_for "$ss_out" '^ACCEPT ' 10 || { say_fail "$name: s_server did not start"; return 1; }
    ss_port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$ss_out")
}
rsa_cert="-cert $pki/server-rsa2048.crt.pem -key $pki/server-rsa2048.key.pem -cert_chain $pki/intermediate-ca.crt.pem"
ec_cert="-cert $pki/server-p256.crt.pem -key $pki/server-p256.key.pem -cert_chain $pki/intermediate-ca.crt.pem"

c13() { # name suite groups expect-suite expect-group
    case_begin
    s_server "s_server-$1" $rsa_cert -tls1_3 -ciphersuites "$2" -groups "$3" && {
        connect_case "s_server-$1" 0 \
            "ok version=TLSv1\.3 suite=$4 group=$5 sig=rsa_pss_rsae_sha256 resumed=no client_auth=no alert=none" \
            "$(reverse "to-$1")" "to-$1" "$ss_port"
        stop "$ss_pid" >/dev/null
        keylog_match "s_server-$1" "$tmp/s_server-$1.theirs" "$tmp/s_server-$1.ours" $TLS13_LABELS
    }
    case_end "s_server-$1"
}
c13 aes128 TLS_AES_128_GCM_SHA256 X25519 TLS_AES_128_GCM_SHA256 x25519
c13 aes256 TLS_AES_256_GCM_SHA384 P-384 TLS_AES_256_GCM_SHA384 secp384r1
c13 chacha TLS_CHACHA20_POLY1305_SHA256 P-256 TLS_CHACHA20_POLY1305_SHA256 secp256r1

c12() { # name cert openssl-cipher expect
    case_begin
    s_server "s_server-$1" $2 -tls1_2 -cipher "$3" && {
        connect_case "s_server-$1" 0 "ok version=TLSv1\.2 $4" \
            "$(reverse "to-$1")" "to-$1" "$ss_port"
        stop "$ss_pid" >/dev/null
        keylog_match "s_server-$1" "$tmp/s_server-$1.theirs" "$tmp/s_server-$1.ours" CLIENT_RANDOM
    }
    case_end "s_server-$1"
}
c12 rsa128 "$rsa_cert" AES128-GCM-SHA256 "suite=TLS_RSA_WITH_AES_128_GCM_SHA256 group=none sig=- "
c12 rsa256 "$rsa_cert" AES256-GCM-SHA384 "suite=TLS_RSA_WITH_AES_256_GCM_SHA384 group=none sig=- "
c12 ecdhe-rsa "$rsa_cert" ECDHE-RSA-AES128-GCM-SHA256 "suite=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 group=x25519 "
c12 ecdhe-ecdsa-chacha "$ec_cert" ECDHE-ECDSA-CHACHA20-POLY1305 \
    "suite=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 group=x25519 sig=ecdsa_secp256r1_sha256 "

# client authentication: s_server -Verify requires a certificate from the
# client CA; the profile's client side presents client-rsa2048
cauth() { # name version-flag expect-version
    case_begin
    s_server "s_server-$1" $rsa_cert "$2" -Verify 1 -CAfile "$pki/client-ca.crt.pem" && {
        connect_case "s_server-$1" 0 "ok version=$3 .*client_auth=yes alert=none" \
            "$(reverse "to-$1")" "to-$1" "$ss_port" --profile server-rsa-clientauth
        stop "$ss_pid" >/dev/null
        has "s_server-$1: verified the client" "$ss_out" "^Verification: OK"
    }
    case_end "s_server-$1"
}
cauth auth13 -tls1_3 'TLSv1\.3'
cauth auth12 -tls1_2 'TLSv1\.2'

# RFC 8446 6.2 / RFC 5246 7.2.2 unknown_ca: the server presents a
# certificate of the client CA, which the client profile does not trust
case_begin
s_server s_server-untrusted -cert "$pki/client-rsa2048.crt.pem" -key "$pki/client-rsa2048.key.pem" && {
    connect_case s_server-untrusted 1 "failed .*alert=sent:unknown_ca" "" untrusted "$ss_port"
    stop "$ss_pid" >/dev/null
}
case_end s_server-untrusted

# gnutls-serv --echo: one server per case, on a free port (retried)
gnutls_serv() { # name args...
    local name=$1 try
    shift
    gs_out=$tmp/$name.server
    for try in 1 2 3 4 5; do
        gs_port=$(free_port)
        timeout 60 gnutls-serv -p "$gs_port" --echo "$@" >"$gs_out" 2>&1 &
        gs_pid=$!
        pids="$pids $gs_pid"
        local i
        for i in $(seq 200); do
            # "Echo Server listening on IPv4 0.0.0.0 port N..." goes out
            # before the socket listens, "done" after it
            grep -q 'listening on IPv4.*done' "$gs_out" 2>/dev/null && return 0
            kill -0 "$gs_pid" 2>/dev/null || break
            sleep 0.05
        done
        stop "$gs_pid" >/dev/null
    done
    say_fail "$name: gnutls-serv did not start:"
    tail -5 "$gs_out"
    return 1
}
if [ $have_gnutls -eq 1 ]; then
    gc() { # name cert key priority expect [connect options...]
        local name=gnutls-serv-$1 text=to-$1 cert=$2 key=$3 prio=$4 expect=$5
        shift 5
        case_begin
        gnutls_serv "$name" --x509certfile "$cert" --x509keyfile "$key" --priority "$prio" "$@" && {
            connect_case "$name" 0 "$expect" "$text" "$text" "$gs_port" $connect_opts
            stop "$gs_pid" >/dev/null
        }
        case_end "$name"
    }
    rsa="$pki/server-rsa2048.chain.pem $pki/server-rsa2048.key.pem"
    ec="$pki/server-p256.chain.pem $pki/server-p256.key.pem"
    connect_opts=""
    gc tls13-aes128 $ec 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:-GROUP-ALL:+GROUP-X25519' \
        'ok version=TLSv1\.3 suite=TLS_AES_128_GCM_SHA256 group=x25519 sig=ecdsa_secp256r1_sha256 '
    gc tls13-aes256 $rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM:-GROUP-ALL:+GROUP-SECP384R1' \
        'ok version=TLSv1\.3 suite=TLS_AES_256_GCM_SHA384 group=secp384r1 '
    gc tls13-chacha $rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-SECP256R1' \
        'ok version=TLSv1\.3 suite=TLS_CHACHA20_POLY1305_SHA256 group=secp256r1 '
    gc tls12-rsa $rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-256-GCM' \
        'ok version=TLSv1\.2 suite=TLS_RSA_WITH_AES_256_GCM_SHA384 group=none '
    gc tls12-ecdhe-rsa $rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+CHACHA20-POLY1305' \
        'ok version=TLSv1\.2 suite=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 '
    gc tls12-ecdhe-ecdsa $ec 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-GCM' \
        'ok version=TLSv1\.2 suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 '
    connect_opts="--profile server-rsa-clientauth"
    gc auth13 $rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.3' 'ok version=TLSv1\.3 .*client_auth=yes alert=none' \
        --require-client-cert --x509cafile "$pki/client-ca.crt.pem"
    gc auth12 $rsa 'NORMAL:-VERS-ALL:+VERS-TLS1.2' 'ok version=TLSv1\.2 .*client_auth=yes alert=none' \
        --require-client-cert --x509cafile "$pki/client-ca.crt.pem"
fi

# usage and network errors: exit status 2
case_begin
"$tlsdiff" connect >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || say_fail "connect without a target: exit $rc, expected 2"
"$tlsdiff" connect 127.0.0.1:$(free_port) --timeout 2 >/dev/null 2>"$tmp/refused.err"; rc=$?
[ $rc -eq 2 ] || say_fail "connect to a closed port: exit $rc, expected 2"
"$tlsdiff" serve --profile no-such-profile >/dev/null 2>"$tmp/noprof.err"; rc=$?
[ $rc -eq 2 ] || say_fail "serve with a missing profile: exit $rc, expected 2"
has "missing profile named" "$tmp/noprof.err" "no-such-profile"
case_end usage

echo "tcp_interop: $cases cases, $failed_cases failed"
if [ $have_gnutls -eq 0 ]; then
    echo "SKIP: gnutls-cli/gnutls-serv not installed (ci/setup.sh installs gnutls-bin)"
    [ $fail -eq 0 ] && exit 77
fi
exit $fail
