#!/usr/bin/env bash
# tlsdiff replay --pcap --keylog, read back by tshark:
#   - every IPv4 and TCP checksum is good, and tshark's TCP analysis flags
#     nothing (no lost, retransmitted or unseen-ACKed segment): the
#     sequence and acknowledgement numbers are consistent;
#   - one TCP stream per run (reference, then wolfSSL, for each input),
#     the client on ports 40000, 40001, ... and the server on 443;
#   - each stream dissects as TLS: ClientHello (1) and ServerHello (2) in
#     the clear, and with the key log lines of its run the encrypted
#     messages decrypt: Finished (20) appears, for TLS 1.3
#     (client_hello and server_finished, variant 0) and TLS 1.2
#     (server_finished, variant 2, CLIENT_RANDOM). Without the key log no
#     Finished is seen (RFC 8446 4.4.4 and RFC 5246 7.4.9: it is only
#     ever sent encrypted), so the keys are what decrypt it;
#   - the last run's stream decrypts with the whole key log (Wireshark
#     keeps the last secret per ClientHello.random);
#   - a capture that cannot be opened is named, exit 2; --pcap without a
#     FILE is a usage error.
# Without tshark: skipped (exit 77), unless CI is set (ci/setup.sh
# installs it).
set -u
tlsdiff=$1
vectors=$2
if ! command -v tshark >/dev/null 2>&1; then
    echo "tshark not installed (ci/setup.sh installs it)"
    [ -n "${CI:-}" ] && exit 1
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, status, expected status
    if [ "$2" -ne "$3" ]; then echo "FAIL: $1 (exit $2, expected $3)"; fail=1; fi
}
has() { # description, file, pattern
    if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in:"; head -40 "$2"; fail=1; fi
}
export TLSDIFF_VECTORS=$vectors
# tshark reads no user preferences, so the results do not depend on them
export WIRESHARK_CONFIG_DIR=$tmp/wireshark
mkdir -p "$WIRESHARK_CONFIG_DIR"
ts() { tshark "$@" 2>"$tmp/tshark.err"; }

# The key log lines of the run on client port $2 (after its comment line).
keys_of() { # keylog, port
    awk -v want="tcp.port $2" '/^#/ { on = substr($0, length($0) - length(want) + 1) == want; next } on' "$1"
}

# The handshake types tshark sees in the stream of client port $2 of
# capture $1 with key log $3, one per line, sorted.
types() { # pcap, port, keylog
    ts -r "$1" -o "tls.keylog_file:$3" -Y "tcp.port == $2 && tls" \
        -T fields -e tls.handshake.type | tr ',' '\n' | grep . | sort -un | tr '\n' ' '
}

# checksums and TCP analysis over a whole capture
wire_ok() { # description, pcap
    local bad
    bad=$(ts -r "$2" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
        -Y 'ip.checksum.status != 1 || tcp.checksum.status != 1' | wc -l)
    [ "$bad" -eq 0 ] || { echo "FAIL: $1: $bad packets with a bad or unverified checksum"; fail=1; }
    bad=$(ts -r "$2" -Y 'tcp.analysis.flags' | wc -l)
    [ "$bad" -eq 0 ] || { echo "FAIL: $1: $bad packets flagged by TCP analysis"; ts -r "$2" -Y tcp.analysis.flags; fail=1; }
}

# $1 stream of capture $2 with key log $3 (port $4): types with and
# without the run's keys; $5 a handshake type seen only with the keys.
stream_ok() { # description, pcap, keylog, port, extra type
    local with without
    keys_of "$3" "$4" >"$tmp/k.$4"
    if ! [ -s "$tmp/k.$4" ]; then echo "FAIL: $1: no key log lines for tcp.port $4"; fail=1; fi
    with=$(types "$2" "$4" "$tmp/k.$4")
    without=$(types "$2" "$4" /dev/null)
    case " $with" in
    *" 1 2 "*"$5 "*"20 "*) ;;
    *) echo "FAIL: $1: handshake types with keys: '$with'"; fail=1 ;;
    esac
    case " $without" in
    *" 1 2 "*) ;;
    *) echo "FAIL: $1: no ClientHello and ServerHello without keys: '$without'"; fail=1 ;;
    esac
    case " $without" in
    *" 20 "*) echo "FAIL: $1: a Finished seen without keys: '$without'"; fail=1 ;;
    esac
}

# client_hello, TLS 1.3 (tls13-x25519-ecdsa-p256): the peer is the client
printf '\000\000' >"$tmp/ch13"
"$tlsdiff" replay client_hello "$tmp/ch13" --pcap "$tmp/ch.pcap" --keylog "$tmp/ch.keys" \
    >"$tmp/out" 2>&1
check "client_hello with --pcap --keylog" $? 0
has "ports named" "$tmp/out" "pcap: reference tcp.port 40000, wolfSSL tcp.port 40001"
has "TLS 1.3 secrets" "$tmp/ch.keys" "^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]\{64\} [0-9a-f]\{64\}$"
wire_ok "client_hello capture" "$tmp/ch.pcap"
n=$(ts -r "$tmp/ch.pcap" -T fields -e tcp.stream | sort -u | wc -l)
[ "$n" -eq 2 ] || { echo "FAIL: client_hello: $n TCP streams, expected 2"; fail=1; }
n=$(ts -r "$tmp/ch.pcap" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 443' | wc -l)
[ "$n" -eq 2 ] || { echo "FAIL: client_hello: $n SYNs to port 443, expected 2"; fail=1; }
# 8 encrypted_extensions, 11 certificate, 15 certificate_verify
stream_ok "client_hello reference" "$tmp/ch.pcap" "$tmp/ch.keys" 40000 "8 11 15"
stream_ok "client_hello wolfSSL" "$tmp/ch.pcap" "$tmp/ch.keys" 40001 "8 11 15"
with=$(types "$tmp/ch.pcap" 40001 "$tmp/ch.keys")
case " $with" in *" 20 "*) ;; *) echo "FAIL: last run with the whole key log: '$with'"; fail=1 ;; esac

# server_finished, TLS 1.3 then TLS 1.2 (tls12-ecdhe-rsa-chacha20): the
# subject is the client; four streams in one capture
printf '\000\000' >"$tmp/sf13"
printf '\002\000' >"$tmp/sf12"
"$tlsdiff" replay server_finished "$tmp/sf13" "$tmp/sf12" --pcap "$tmp/sf.pcap" \
    --keylog "$tmp/sf.keys" >"$tmp/out" 2>&1
check "server_finished with --pcap --keylog" $? 0
has "second input's ports" "$tmp/out" "pcap: reference tcp.port 40002, wolfSSL tcp.port 40003"
has "TLS 1.2 master secret" "$tmp/sf.keys" "^CLIENT_RANDOM [0-9a-f]\{64\} [0-9a-f]\{96\}$"
wire_ok "server_finished capture" "$tmp/sf.pcap"
n=$(ts -r "$tmp/sf.pcap" -T fields -e tcp.stream | sort -u | wc -l)
[ "$n" -eq 4 ] || { echo "FAIL: server_finished: $n TCP streams, expected 4"; fail=1; }
stream_ok "server_finished TLS 1.3 reference" "$tmp/sf.pcap" "$tmp/sf.keys" 40000 "8 11 15"
stream_ok "server_finished TLS 1.3 wolfSSL" "$tmp/sf.pcap" "$tmp/sf.keys" 40001 "8 11 15"
# 11 certificate, 12 server_key_exchange, 14 server_hello_done,
# 16 client_key_exchange: in the clear in TLS 1.2
stream_ok "server_finished TLS 1.2 reference" "$tmp/sf.pcap" "$tmp/sf.keys" 40002 "11 12 14 16"
stream_ok "server_finished TLS 1.2 wolfSSL" "$tmp/sf.pcap" "$tmp/sf.keys" 40003 "11 12 14 16"

# the same replay writes the same capture
"$tlsdiff" replay server_finished "$tmp/sf13" "$tmp/sf12" --pcap "$tmp/sf2.pcap" >/dev/null 2>&1
cmp -s "$tmp/sf.pcap" "$tmp/sf2.pcap" || { echo "FAIL: two replays wrote different captures"; fail=1; }

# errors
"$tlsdiff" replay client_hello "$tmp/ch13" --pcap "$tmp/no/such/dir.pcap" >"$tmp/out" 2>"$tmp/err"
check "capture that cannot be opened" $? 2
has "capture named" "$tmp/err" "no/such/dir.pcap: cannot write"
"$tlsdiff" replay client_hello "$tmp/ch13" --keylog "$tmp/no/such/dir.keys" >"$tmp/out" 2>"$tmp/err"
check "key log that cannot be opened" $? 2
has "key log named" "$tmp/err" "no/such/dir.keys: cannot write"
"$tlsdiff" replay client_hello "$tmp/ch13" --pcap >"$tmp/out" 2>"$tmp/err"
check "--pcap without a FILE" $? 2
has "--pcap needs a FILE" "$tmp/err" "needs a FILE"
exit $fail
