#ifndef GATEHOUSE_COPENSSL_SHIM_H
#define GATEHOUSE_COPENSSL_SHIM_H

#include <openssl/opensslv.h>
#if OPENSSL_VERSION_MAJOR < 3
#error "Gatehouse needs OpenSSL 3 (apt-get install libssl-dev)"
#endif

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* Macros Swift cannot import, as functions. */
static inline void gatehouse_openssl_free(void *pointer) { OPENSSL_free(pointer); }
static inline int gatehouse_select_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int gatehouse_select_key_pair(void) { return EVP_PKEY_KEYPAIR; }
static inline int gatehouse_pss_salt_length_digest(void) { return RSA_PSS_SALTLEN_DIGEST; }
static inline int gatehouse_rsa_pss_padding(void) { return RSA_PKCS1_PSS_PADDING; }
static inline long gatehouse_ssl_set_server_name(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name); }
static inline long gatehouse_ssl_ctx_min_tls12(SSL_CTX *context) {
    return SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

#endif
