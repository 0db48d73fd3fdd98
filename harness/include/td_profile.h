/*
 * td_profile: everything a configuration decides, for both ends at once
 * (DESIGN.md "profile"). One profile configures the client and the server
 * subject identically, whichever implementation each is; the role is
 * chosen when a subject is created from it.
 *
 * Profiles are data: vectors/profiles/<name>.profile, one `key = value` per
 * line. A key without a prefix sets both sides; `client.` or `server.`
 * sets one side. Keys:
 *
 *   summary      = one line for reports
 *   versions     = 1.3 | 1.2 | 1.2-1.3 | 1.0 | 1.1 | ssl3 ...
 *   suites       = IANA names, comma-separated, in preference order
 *   groups       = x25519, secp256r1, ...     (supported_groups, preference)
 *   key_shares   = groups the client sends key shares for (TLS 1.3)
 *   sigalgs      = RFC 8446 4.2.3 names      (signature_algorithms)
 *   chain, key   = PEM files relative to vectors/ (own certificate chain)
 *   trust        = PEM file of trust anchors for verifying the other side
 *   client_auth  = none | request | require
 *   tickets      = on | off
 *   resume       = none | session_id | ticket   (run a second handshake)
 *   hrr_cookie   = on | off                     (server sends a cookie in HRR)
 *   sni          = host name the client sends and checks the certificate for
 *   alpn         = protocols, comma-separated
 *   expect_alert = the fatal alert the server must refuse the client with
 *                  (an RFC AlertDescription name); absent: the handshake
 *                  must succeed
 */
#ifndef TD_PROFILE_H
#define TD_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "td_err.h"

#define TD_PROFILE_MAX_LIST 24
#define TD_PROFILE_MAX_PATH 256
#define TD_PROFILE_MAX_NAME 64

typedef enum { TD_ROLE_CLIENT, TD_ROLE_SERVER } td_role;
typedef enum { TD_CLIENT_AUTH_NONE, TD_CLIENT_AUTH_REQUEST, TD_CLIENT_AUTH_REQUIRE } td_client_auth;
typedef enum { TD_RESUME_NONE, TD_RESUME_SESSION_ID, TD_RESUME_TICKET } td_resume;

typedef struct td_code_list {
    uint16_t v[TD_PROFILE_MAX_LIST];
    size_t n; /* 0: the implementation's default */
} td_code_list;

typedef struct td_side {
    uint16_t min_version, max_version;
    td_code_list suites, groups, key_shares, sigalgs;
    bool key_shares_set; /* key_shares given, possibly empty */
    char chain[TD_PROFILE_MAX_PATH];
    char key[TD_PROFILE_MAX_PATH];
    char trust[TD_PROFILE_MAX_PATH];
} td_side;

typedef struct td_profile {
    char name[TD_PROFILE_MAX_NAME];
    char summary[160];
    td_side side[2]; /* indexed by td_role */
    td_client_auth client_auth;
    bool tickets;
    td_resume resume;
    bool hrr_cookie;
    char sni[128];
    char alpn[64]; /* comma-separated */
    uint8_t expect_alert; /* 0: expect success */
} td_profile;

/* Defaults: TLS 1.2-1.3, library default lists, no certificates, no client
 * auth, tickets off, no resumption. */
void td_profile_defaults(td_profile *p, const char *name);

/* Parse profile text. On error, *line is the 1-based line at fault and
 * why (if non-NULL) gets a one-line reason. */
TD_MUST_USE td_err td_profile_parse(td_profile *p, const char *name, const char *text,
                                    size_t *line, char *why, size_t why_cap);

/* Load vectors/profiles/<name>.profile (or a path ending in .profile).
 * why gets "<file>:<line>: <reason>" on failure. */
TD_MUST_USE td_err td_profile_load(td_profile *p, const char *name_or_path, char *why,
                                   size_t why_cap);

/* The vectors directory: $TLSDIFF_VECTORS, else the source tree's. */
const char *td_vectors_dir(void);
/* Resolve a path relative to the vectors directory into out. */
TD_MUST_USE td_err td_vectors_path(const char *rel, char *out, size_t cap);

const char *td_role_name(td_role r);

#endif
