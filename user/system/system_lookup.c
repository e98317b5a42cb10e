/*
 * SYSTEM's service directory decisions (system_lookup.h): decode the
 * request, find the provider, check the asker's allow= list, in that
 * order, so that a malformed request never reveals whether a name exists.
 */
#include "system_lookup.h"

#include <anos/directory.h>

Error system_lookup_decide(const SystemConfig *cfg, uint32_t asker, const AnosIpcMsg *request,
                           uint32_t *provider)
{
    if (cfg == NULL || request == NULL || provider == NULL || asker >= cfg->count ||
        request->tag != ANOS_DIR_LOOKUP) {
        return E_INVAL;
    }
    char name[ANOS_SERVICE_NAME_BYTES];
    int len = anos_dir_name_unpack(request->words, name);
    if (len < 0) {
        return E_INVAL;
    }
    int found = system_config_provider(cfg, name, (size_t)len);
    if (found < 0) {
        return E_NOENT;
    }
    if ((cfg->programs[asker].allowed & (1u << found)) == 0) {
        return E_PERM;
    }
    *provider = (uint32_t)found;
    return E_OK;
}
