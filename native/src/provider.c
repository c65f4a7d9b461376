/* Providers and probes: definitions, enabling, disabling and firing. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* A stub is called with all DTP_MAX_ARGS slots (unused ones 0): each argument is where its note says. */
typedef void (*stub_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                        uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

dtp_provider *dtp_provider_create(const char *name, const char *module)
{
    if (!dtp_valid_name(name)) {
        dtp_set_error("invalid provider name \"%.80s\": it must match [A-Za-z_][A-Za-z0-9_]* "
                      "and be 1 to %d characters", name ? name : "(null)", DTP_MAX_NAME);
        return NULL;
    }
    if (module && !dtp_valid_name(module)) {
        dtp_set_error("invalid module name \"%.80s\": it must match [A-Za-z_][A-Za-z0-9_]* "
                      "and be 1 to %d characters", module, DTP_MAX_NAME);
        return NULL;
    }
    dtp_provider *provider = calloc(1, sizeof *provider);
    if (!provider) {
        dtp_set_error("out of memory");
        return NULL;
    }
    strcpy(provider->name, name);
    strcpy(provider->module, module ? module : name);
    return provider;
}

dtp_probe *dtp_probe_add(dtp_provider *provider, const char *name, int argc,
                         const dtp_arg_type *types)
{
    if (!provider) {
        dtp_set_error("no provider");
        return NULL;
    }
    if (!dtp_valid_name(name)) {
        dtp_set_error("invalid probe name \"%.80s\": it must match [A-Za-z_][A-Za-z0-9_]* "
                      "and be 1 to %d characters", name ? name : "(null)", DTP_MAX_NAME);
        return NULL;
    }
    if (argc < 0 || argc > DTP_MAX_ARGS || (argc > 0 && !types)) {
        dtp_set_error("probe %s has %d arguments: 0 to %d are allowed", name, argc, DTP_MAX_ARGS);
        return NULL;
    }
    for (int i = 0; i < argc; i++) {
        if (types[i] != DTP_ARG_INT64 && types[i] != DTP_ARG_STRING) {
            dtp_set_error("argument %d of probe %s has unknown type %d", i, name, (int)types[i]);
            return NULL;
        }
    }
    for (dtp_probe *p = provider->probes; p; p = p->next) {
        if (strcmp(p->name, name) == 0) {
            dtp_set_error("provider %s already has a probe named %s", provider->name, name);
            return NULL;
        }
    }
    dtp_probe *probe = calloc(1, sizeof *probe);
    if (!probe) {
        dtp_set_error("out of memory");
        return NULL;
    }
    probe->provider = provider;
    strcpy(probe->name, name);
    probe->argc = argc;
    if (argc > 0)
        memcpy(probe->types, types, (size_t)argc * sizeof *types);
    if (provider->last_probe)
        provider->last_probe->next = probe;
    else
        provider->probes = probe;
    provider->last_probe = probe;
    return probe;
}

int dtp_provider_enable(dtp_provider *provider, const char *dir)
{
    if (!provider || !dir) {
        dtp_set_error("no provider or no directory");
        return -1;
    }
    size_t count = 0;
    for (dtp_probe *p = provider->probes; p; p = p->next)
        count += p->object == NULL;
    if (count == 0)
        return 0;

    dtp_probe **pending = malloc(count * sizeof *pending);
    struct dtp_object *object = calloc(1, sizeof *object);
    if (!pending || !object) {
        free(pending);
        free(object);
        dtp_set_error("out of memory");
        return -1;
    }
    size_t n = 0;
    for (dtp_probe *p = provider->probes; p; p = p->next)
        if (p->object == NULL)
            pending[n++] = p;

    struct dtp_elf elf;
    int result = dtp_elf_build(provider->name, pending, count, provider->module,
                               (size_t)sysconf(_SC_PAGESIZE), &elf);
    if (result == 0)
        result = dtp_object_create(dir, provider->module, &elf, object);
    if (result == 0) {
        for (size_t i = 0; i < count; i++) {
            pending[i]->object = object;
            atomic_store(&pending[i]->semaphore,
                         (const volatile uint16_t *)(object->mapping.base + elf.semaphore_addr[i]));
            atomic_store(&pending[i]->stub, (void *)(object->mapping.base + elf.stub_addr[i]));
        }
        object->next = provider->objects;
        provider->objects = object;
    } else {
        free(object);
    }
    if (elf.bytes)
        dtp_elf_free(&elf);
    free(pending);
    return result;
}

void dtp_provider_disable(dtp_provider *provider)
{
    if (!provider)
        return;
    for (dtp_probe *p = provider->probes; p; p = p->next) {
        atomic_store(&p->stub, NULL);
        atomic_store(&p->semaphore, NULL);
        p->object = NULL;
    }
    /*
     * A fire counts itself in before it reads the stub, and we cleared the
     * stubs before reading the counts (all sequentially consistent), so a fire
     * still calling into the objects is counted in one of the two counters.
     * Waiting for one shared count to read zero could last as long as other
     * threads keep firing, so each counter is first retired (new fires go to
     * the other) and then drained: it only holds fires that began before.
     */
    for (int round = 0; round < 2; round++) {
        unsigned retired = atomic_fetch_add(&provider->epoch, 1) & 1;
        while (atomic_load(&provider->fires_in_progress[retired]) != 0)
            sched_yield();
    }
    while (provider->objects) {
        struct dtp_object *object = provider->objects;
        provider->objects = object->next;
        dtp_object_remove(object);
        free(object);
    }
}

void dtp_provider_destroy(dtp_provider *provider)
{
    if (!provider)
        return;
    dtp_provider_disable(provider);
    while (provider->probes) {
        dtp_probe *probe = provider->probes;
        provider->probes = probe->next;
        free(probe);
    }
    free(provider);
}

void dtp_probe_fire(dtp_probe *probe, const uint64_t *args)
{
    if (!probe)
        return;
    uint64_t a[DTP_MAX_ARGS] = {0};
    if (args && probe->argc > 0)
        memcpy(a, args, (size_t)probe->argc * sizeof *a);
    dtp_provider *provider = probe->provider;
    atomic_long *in_progress = &provider->fires_in_progress[atomic_load(&provider->epoch) & 1];
    atomic_fetch_add(in_progress, 1);
    void *stub = atomic_load(&probe->stub);
    _Static_assert(sizeof a / sizeof a[0] == 12, "stub_fn and its call pass 12 slots: change them with DTP_MAX_ARGS");
    if (stub)
        ((stub_fn)stub)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    atomic_fetch_sub(in_progress, 1);
}

const volatile uint16_t *dtp_probe_semaphore(const dtp_probe *probe)
{
    return probe ? atomic_load(&((dtp_probe *)probe)->semaphore) : NULL;
}

const char *dtp_probe_object_path(const dtp_probe *probe)
{
    return probe && probe->object ? probe->object->path : NULL;
}
