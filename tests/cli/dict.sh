#!/usr/bin/env bash
# The TLS dictionary of the fuzz targets (tls.dict, written at build time
# by targets/common/td_dict_gen.c from the harness's code-point tables):
#   - entries whose wire values the RFCs give, each checked against the
#     RFC, not against the tables it was written from;
#   - every other line a comment or name="\xNN..." (libFuzzer's format;
#     a line it cannot parse makes it refuse the whole file), names
#     unique;
#   - td_dict_gen writes the same to stdout as to the file.
set -u
dict=$1
gen=$2
fail=0
want() { # name, value as written in the file, where the value comes from
    if ! grep -qxF -- "$1=\"$2\"" "$dict"; then
        echo "FAIL: no $1=\"$2\" ($3)"
        fail=1
    fi
}
[ -s "$dict" ] || { echo "FAIL: $dict is missing or empty"; exit 1; }

want suite_TLS_AES_128_GCM_SHA256 '\x13\x01' 'RFC 8446 B.4: {0x13,0x01}'
want suite_TLS_CHACHA20_POLY1305_SHA256 '\x13\x03' 'RFC 8446 B.4: {0x13,0x03}'
want suite_TLS_RSA_WITH_AES_128_GCM_SHA256 '\x00\x9c' 'RFC 5288 3: {0x00,0x9C}'
want suite_TLS_AES_128_GCM_SHA256_list '\x00\x02\x13\x01' 'RFC 8446 4.1.2 cipher_suites<2..2^16-2>, one entry'
want group_x25519 '\x00\x1d' 'RFC 8446 4.2.7: x25519(0x001D)'
want group_secp256r1 '\x00\x17' 'RFC 8446 4.2.7: secp256r1(0x0017)'
want group_ffdhe2048 '\x01\x00' 'RFC 8446 4.2.7: ffdhe2048(0x0100)'
want group_x25519_list '\x00\x02\x00\x1d' 'RFC 8446 4.2.7 named_group_list<2..2^16-1>, one entry'
want sigscheme_rsa_pss_rsae_sha256 '\x08\x04' 'RFC 8446 4.2.3: rsa_pss_rsae_sha256(0x0804)'
want sigscheme_ecdsa_secp256r1_sha256 '\x04\x03' 'RFC 8446 4.2.3: ecdsa_secp256r1_sha256(0x0403)'
want version_TLSv1_3 '\x03\x04' 'RFC 8446 4.2.1: 0x0304'
want version_TLSv1_2 '\x03\x03' 'RFC 5246 6.2.1: {3, 3}'
want version_TLSv1_3_list '\x02\x03\x04' 'RFC 8446 4.2.1 versions<2..254>, one entry'
want ext_server_name '\x00\x00' 'RFC 8446 4.2: server_name(0)'
want ext_supported_versions '\x00\x2b' 'RFC 8446 4.2: supported_versions(43)'
want ext_key_share '\x00\x33' 'RFC 8446 4.2: key_share(51)'
want ext_key_share_empty '\x00\x33\x00\x00' 'RFC 8446 4.2: key_share(51), extension_data of length 0'
want hs_client_hello '\x01' 'RFC 8446 4: client_hello(1)'
want hs_certificate_verify '\x0f' 'RFC 8446 4: certificate_verify(15)'
want hs_server_hello_done_empty '\x0e\x00\x00\x00' 'RFC 5246 7.4: server_hello_done(14), uint24 length 0'
want ct_handshake '\x16' 'RFC 8446 5.1: handshake(22)'
want ct_handshake_tls10 '\x16\x03\x01' 'RFC 8446 5.1: a first ClientHello record, legacy_record_version 0x0301'
want ct_application_data_tls12 '\x17\x03\x03' 'RFC 8446 5.2: opaque_type 23, legacy_record_version 0x0303'
want alert_decode_error '\x32' 'RFC 8446 6: decode_error(50)'
want alert_close_notify '\x00' 'RFC 8446 6: close_notify(0)'
want alert_handshake_failure_fatal '\x02\x28' 'RFC 8446 6: fatal(2), handshake_failure(40)'

bad=$(grep -v '^#' "$dict" | grep -cvE '^[A-Za-z0-9_]+="(\\x[0-9a-f]{2})+"$')
if [ "$bad" -ne 0 ]; then
    echo "FAIL: $bad line(s) not in the dictionary format:"
    grep -v '^#' "$dict" | grep -vE '^[A-Za-z0-9_]+="(\\x[0-9a-f]{2})+"$' | head
    fail=1
fi
dups=$(grep -v '^#' "$dict" | cut -d= -f1 | sort | uniq -d)
if [ -n "$dups" ]; then echo "FAIL: names twice: $dups"; fail=1; fi
if ! "$gen" | cmp -s - "$dict"; then echo "FAIL: td_dict_gen's stdout differs from $dict"; fail=1; fi
exit $fail
