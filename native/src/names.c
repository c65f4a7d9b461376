/*
 * The one name rule of the native core: providers, modules and probes are C identifiers, because tracers
 * turn SDT note names into event and symbol names (perf refuses an object that holds any other name).
 */
#include <string.h>

#include "internal.h"

static int is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

int dtp_valid_name(const char *name)
{
    size_t len = name ? strnlen(name, DTP_MAX_NAME + 1) : 0;
    if (len == 0 || len > DTP_MAX_NAME || !is_letter(name[0]))
        return 0;
    for (size_t i = 1; i < len; i++) {
        char c = name[i];
        if (!is_letter(c) && !(c >= '0' && c <= '9'))
            return 0;
    }
    return 1;
}
