# wolfSSL, compiled from source as the static library `wolfssl_td`.
#
# The source tree is WOLFSSL_SOURCE_DIR when set (any wolfSSL checkout:
# upstream master, an older release), else the pinned Debian source package
# that ci/fetch-wolfssl.sh unpacks under .cache/wolfssl/ (fetched here on the
# first configure if it is not there yet).
#
# The configuration is cmake/wolfssl/user_settings.h in place of
# ./configure, so no autotools are needed. wolfSSL is compiled with the
# preset's C flags: under the asan and fuzz presets it is instrumented too.

if(WOLFSSL_SOURCE_DIR)
  set(TD_WOLFSSL_DIR "${WOLFSSL_SOURCE_DIR}")
  set(TD_WOLFSSL_ORIGIN "WOLFSSL_SOURCE_DIR")
else()
  execute_process(
    COMMAND "${CMAKE_SOURCE_DIR}/ci/fetch-wolfssl.sh"
    RESULT_VARIABLE _fetch_rc)
  if(NOT _fetch_rc EQUAL 0)
    message(FATAL_ERROR
      "Could not fetch the pinned wolfSSL source (ci/fetch-wolfssl.sh). "
      "Pass -DWOLFSSL_SOURCE_DIR=/path/to/wolfssl to use a checkout instead.")
  endif()
  execute_process(
    COMMAND "${CMAKE_SOURCE_DIR}/ci/fetch-wolfssl.sh" --print
    OUTPUT_VARIABLE TD_WOLFSSL_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(TD_WOLFSSL_ORIGIN "Debian source package")
endif()

if(NOT EXISTS "${TD_WOLFSSL_DIR}/wolfssl/ssl.h" OR
   NOT EXISTS "${TD_WOLFSSL_DIR}/src/internal.c")
  message(FATAL_ERROR "${TD_WOLFSSL_DIR} does not look like a wolfSSL source tree")
endif()

# Version string, for `tlsdiff version` and the reports.
file(STRINGS "${TD_WOLFSSL_DIR}/wolfssl/version.h" _ver_line
     REGEX "^#define LIBWOLFSSL_VERSION_STRING")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" TD_WOLFSSL_VERSION "${_ver_line}")
message(STATUS "wolfSSL ${TD_WOLFSSL_VERSION} from ${TD_WOLFSSL_ORIGIN}: ${TD_WOLFSSL_DIR}")

# Every .c at the top of src/ and wolfcrypt/src/; files that ssl.c, misc.c
# users or evp users #include themselves are left out (they compile to
# nothing on their own). Platform ports live in subfolders and are not
# picked up.
file(GLOB _wolfssl_src "${TD_WOLFSSL_DIR}/src/*.c" "${TD_WOLFSSL_DIR}/wolfcrypt/src/*.c")
set(_wolfssl_included_elsewhere
  src/bio.c src/conf.c src/pk.c src/ssl_asn1.c src/ssl_bn.c src/ssl_certman.c
  src/ssl_crypto.c src/ssl_load.c src/ssl_misc.c src/ssl_p7p12.c src/ssl_sess.c
  src/x509.c src/x509_str.c src/sniffer.c
  wolfcrypt/src/misc.c wolfcrypt/src/evp.c)
foreach(_f ${_wolfssl_included_elsewhere})
  list(REMOVE_ITEM _wolfssl_src "${TD_WOLFSSL_DIR}/${_f}")
endforeach()

add_library(wolfssl_td STATIC ${_wolfssl_src})
target_include_directories(wolfssl_td SYSTEM PUBLIC
  "${CMAKE_SOURCE_DIR}/cmake/wolfssl" "${TD_WOLFSSL_DIR}")
target_compile_definitions(wolfssl_td PUBLIC WOLFSSL_USER_SETTINGS)
target_compile_definitions(wolfssl_td PRIVATE BUILDING_WOLFSSL)
target_compile_options(wolfssl_td PRIVATE -w)
# Under the sanitizer presets a UBSan report inside wolfSSL is a finding to
# record, not a reason to stop every test: wolfSSL's checks are recoverable,
# and ci/sanitizers/wolfssl-ubsan.supp lists the reviewed ones (tests run
# with halt_on_error=1, so an unlisted report still stops them).
if(CMAKE_C_FLAGS MATCHES "-fsanitize=[^ ]*undefined")
  target_compile_options(wolfssl_td PRIVATE -fsanitize-recover=undefined)
endif()
# The RNG and clock hooks of user_settings.h live in the harness.
target_link_libraries(wolfssl_td PUBLIC td_world m)

# Memoised primitives: wolfSSL's TLS code calls three public-key primitives
# where no PK callback is consulted (harness/core/td_wolfssl_memo.c says
# which and why). src/internal.c and src/tls.c, the only TLS sources that
# call them, are compiled with each name defined to its memoising wrapper,
# which calls the real function (its own file is compiled without the
# definitions). The wrappers are built as an object library, with
# tlsdiff's warnings instead of wolfSSL's -w, and archived into
# wolfssl_td, so every program that links wolfSSL has them; td_memo and
# the world they use are in td_world, which wolfssl_td links.
set(TD_WOLFSSL_MEMO_RENAMES
  wc_ecc_shared_secret=td_memo_wc_ecc_shared_secret
  wc_curve25519_shared_secret_ex=td_memo_wc_curve25519_shared_secret_ex
  wc_curve25519_make_key=td_memo_wc_curve25519_make_key)
set_property(SOURCE "${TD_WOLFSSL_DIR}/src/internal.c" "${TD_WOLFSSL_DIR}/src/tls.c"
  APPEND PROPERTY COMPILE_DEFINITIONS ${TD_WOLFSSL_MEMO_RENAMES})
add_library(td_wolfssl_memo OBJECT "${CMAKE_SOURCE_DIR}/harness/core/td_wolfssl_memo.c")
target_include_directories(td_wolfssl_memo PRIVATE "${CMAKE_SOURCE_DIR}/harness/include")
target_include_directories(td_wolfssl_memo SYSTEM PRIVATE
  "${CMAKE_SOURCE_DIR}/cmake/wolfssl" "${TD_WOLFSSL_DIR}")
target_compile_definitions(td_wolfssl_memo PRIVATE WOLFSSL_USER_SETTINGS)
td_warnings(td_wolfssl_memo)
target_sources(wolfssl_td PRIVATE $<TARGET_OBJECTS:td_wolfssl_memo>)
set_target_properties(wolfssl_td PROPERTIES C_EXTENSIONS ON)
