#include "pkcs11_mechanisms.h"

#include <string.h>

/* CKM_* of each case of `mechanism`, by tag (other, the last, carries its own number). */
static const CK_MECHANISM_TYPE mechanism_types[] = {
    CKM_ECDSA,
    CKM_ECDSA_SHA256,
    CKM_ECDSA_SHA384,
    CKM_ECDSA_SHA512,
    CKM_RSA_PKCS,
    CKM_SHA256_RSA_PKCS,
    CKM_SHA384_RSA_PKCS,
    CKM_SHA512_RSA_PKCS,
    CKM_RSA_PKCS_PSS,
    CKM_SHA256_RSA_PKCS_PSS,
    CKM_SHA384_RSA_PKCS_PSS,
    CKM_SHA512_RSA_PKCS_PSS,
    CKM_RSA_PKCS_OAEP,
    CKM_SHA256_HMAC,
    CKM_SHA384_HMAC,
    CKM_SHA512_HMAC,
    CKM_AES_GCM,
    CKM_AES_CBC_PAD,
    CKM_AES_KEY_WRAP,
    CKM_AES_KEY_WRAP_PAD,
    CKM_SHA256,
    CKM_SHA384,
    CKM_SHA512,
    CKM_ECDH1_DERIVE,
    CKM_EC_KEY_PAIR_GEN,
    CKM_RSA_PKCS_KEY_PAIR_GEN,
    CKM_AES_KEY_GEN,
    CKM_GENERIC_SECRET_KEY_GEN,
};

/* The digest, MGF and KDF of each case of `hash`. */
static const struct {
  CK_MECHANISM_TYPE digest;
  CK_RSA_PKCS_MGF_TYPE mgf;
  CK_ULONG kdf;
} hashes[] = {
    {CKM_SHA_1, CKG_MGF1_SHA1, CKD_SHA1_KDF},      {CKM_SHA224, CKG_MGF1_SHA224, CKD_SHA224_KDF},
    {CKM_SHA256, CKG_MGF1_SHA256, CKD_SHA256_KDF}, {CKM_SHA384, CKG_MGF1_SHA384, CKD_SHA384_KDF},
    {CKM_SHA512, CKG_MGF1_SHA512, CKD_SHA512_KDF},
};

static void point(ck_mechanism* out, void* params, CK_ULONG size) {
  out->mechanism.pParameter = params;
  out->mechanism.ulParameterLen = size;
}

/* A byte string argument as PKCS#11 takes it: NULL when empty. */
static CK_BYTE* bytes(berth_list list) {
  return list.len ? (CK_BYTE*)list.ptr : NULL;
}

static void pss(const token_pss_params* params, ck_mechanism* out) {
  out->params.pss.hashAlg = hashes[params->hash].digest;
  out->params.pss.mgf = hashes[params->hash].mgf;
  out->params.pss.sLen = params->salt_length;
  point(out, &out->params.pss, sizeof out->params.pss);
}

void mechanism_from(const token_mechanism* mechanism, ck_mechanism* out) {
  memset(out, 0, sizeof *out);
  size_t known = sizeof mechanism_types / sizeof mechanism_types[0];
  out->mechanism.mechanism = mechanism->tag < known ? mechanism_types[mechanism->tag]
                                                    : (CK_MECHANISM_TYPE)mechanism->val.other;
  switch (mechanism->tag) {
    case TOKEN_MECHANISM_RSA_PKCS_PSS:
      pss(&mechanism->val.rsa_pkcs_pss, out);
      break;
    case TOKEN_MECHANISM_SHA256_RSA_PKCS_PSS:
      pss(&mechanism->val.sha256_rsa_pkcs_pss, out);
      break;
    case TOKEN_MECHANISM_SHA384_RSA_PKCS_PSS:
      pss(&mechanism->val.sha384_rsa_pkcs_pss, out);
      break;
    case TOKEN_MECHANISM_SHA512_RSA_PKCS_PSS:
      pss(&mechanism->val.sha512_rsa_pkcs_pss, out);
      break;
    case TOKEN_MECHANISM_RSA_PKCS_OAEP: {
      const token_oaep_params* params = &mechanism->val.rsa_pkcs_oaep;
      out->params.oaep.hashAlg = hashes[params->hash].digest;
      out->params.oaep.mgf = hashes[params->hash].mgf;
      out->params.oaep.source = CKZ_DATA_SPECIFIED;
      out->params.oaep.pSourceData = bytes(params->label);
      out->params.oaep.ulSourceDataLen = params->label.len;
      point(out, &out->params.oaep, sizeof out->params.oaep);
      break;
    }
    case TOKEN_MECHANISM_AES_GCM: {
      const token_gcm_params* params = &mechanism->val.aes_gcm;
      out->params.gcm.pIv = bytes(params->iv);
      out->params.gcm.ulIvLen = params->iv.len;
      out->params.gcm.ulIvBits = params->iv.len * 8;
      out->params.gcm.pAAD = bytes(params->aad);
      out->params.gcm.ulAADLen = params->aad.len;
      out->params.gcm.ulTagBits = params->tag_bits;
      point(out, &out->params.gcm, sizeof out->params.gcm);
      break;
    }
    case TOKEN_MECHANISM_AES_CBC_PAD:
      point(out, bytes(mechanism->val.aes_cbc_pad), mechanism->val.aes_cbc_pad.len);
      break;
    case TOKEN_MECHANISM_ECDH1_DERIVE: {
      const token_ecdh_params* params = &mechanism->val.ecdh1_derive;
      out->params.ecdh.kdf = params->kdf.is_some ? hashes[params->kdf.val].kdf : CKD_NULL;
      out->params.ecdh.pSharedData = bytes(params->shared_data);
      out->params.ecdh.ulSharedDataLen = params->shared_data.len;
      out->params.ecdh.pPublicData = bytes(params->public_data);
      out->params.ecdh.ulPublicDataLen = params->public_data.len;
      point(out, &out->params.ecdh, sizeof out->params.ecdh);
      break;
    }
    default:
      break;
  }
}
