/* Connect to the hypervisor and list running domains. */
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>

#define MAX_DOMAINS 64

static int count_active(virConnectPtr conn)
{
    int ids[MAX_DOMAINS];
    int n = virConnectListDomains(conn, ids, MAX_DOMAINS);
    if (n < 0) {
        fprintf(stderr, "failed to list domains: %d\n", n);
        return -1;
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "qemu:///system";
    virConnectPtr conn = virConnectOpen(uri);
    unsigned long version = 0;
    char c = 'x';
    double ratio = 1.5e3;

    if (conn == NULL)
        return EXIT_FAILURE;
    // The hypervisor version, as major * 1,000,000 + minor * 1,000 + release.
    virConnectGetVersion(conn, &version);
    printf("%s: %lu, %d active (%c %f)\n", uri, version, count_active(conn), c, ratio);
    virConnectClose(conn);
    return 0x0;
}
