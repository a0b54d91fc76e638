/* The bundle's configuration (host.toml [config], docs/bundles/pkcs11.md). */
#ifndef PKCS11_CONFIG_H_
#define PKCS11_CONFIG_H_

#include <p11-kit/pkcs11.h>
#include <stddef.h>

#include <berth/bundle.h>

typedef struct bundle_config {
  char* module;
  CK_SLOT_ID* slots;
  size_t slot_count;
  char** token_labels;
  size_t token_label_count;
  char* pin;    /* NULL: none configured */
  char* so_pin; /* NULL: none configured */
  int allow_guest_pin;
  int allow_extractable_keys;
  int allow_token_initialization;
} bundle_config;

/* Reads the configuration entries into `config`; 0 with `message` filled when one is wrong.
 * PINs named by *-env entries are read from the environment now. */
int config_read(bundle_config* config, const berth_config_entry* entries, size_t count,
                char* message, size_t size);

/* Frees the configuration, wiping the PINs. */
void config_free(bundle_config* config);

#endif /* PKCS11_CONFIG_H_ */
