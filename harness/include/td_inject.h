/*
 * td_inject: deliberately injected bugs in the reference, for testing the
 * differential oracle only (tests/oracle/td_oracle.c).
 *
 * TEST-ONLY. The bug sites in harness/ref are compiled only when
 * TD_INJECT_BUGS is defined, which only the td_ref_bugs library is
 * (harness/ref/CMakeLists.txt); td_ref, tlsdiff, td_tests and the fuzz
 * targets have none of them. Each site reads td_injected_bug and switches
 * one MUST check off when it names that site's bug; TD_BUG_NONE (0) leaves
 * the reference as it is. The program that links td_ref_bugs defines the
 * variable.
 */
#ifndef TD_INJECT_H
#define TD_INJECT_H

typedef enum td_bug {
    TD_BUG_NONE = 0,
    /* the extension block's duplicate check accepts a duplicate
     * (RFC 8446 4.2, RFC 5246 7.4.1.4) */
    TD_BUG_DUP_EXTENSION,
    /* the Finished verify_data comparison always succeeds, either side,
     * both versions (RFC 8446 4.4.4, RFC 5246 7.4.9) */
    TD_BUG_SKIP_FINISHED,
    /* a TLS 1.3 client takes a ServerHello without key_share (RFC 8446
     * 4.2.8, 9.2: missing_extension) and goes on with no (EC)DHE input,
     * the zeros of psk_ke (RFC 8446 7.1) */
    TD_BUG_SH_NO_KEY_SHARE,
    /* a TLS 1.2 ChangeCipherSpec between handshake messages before the
     * keys exist (RFC 5246 7.1, the CVE-2014-0224 class) is dropped
     * instead of refused */
    TD_BUG_EARLY_CCS,
    /* a client takes a ServerHello cipher_suite it did not offer (RFC 8446
     * 4.1.3, RFC 5246 7.4.1.3), if it is one it implements */
    TD_BUG_SUITE_NOT_OFFERED,
    /* a server takes legacy_compression_methods without null (RFC 5246
     * 7.4.1.2) or other than exactly null (RFC 8446 4.1.2) */
    TD_BUG_COMPRESSION,
    TD_BUG_COUNT
} td_bug;

/* The bug switched on (a td_bug), TD_BUG_NONE by default. */
extern int td_injected_bug;

#endif
