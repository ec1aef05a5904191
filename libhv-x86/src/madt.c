/*
 * The CPUs in ACPI's MADT (portable, unit-tested; ACPI 6.5, 5.2.5 "Root
 * System Description Pointer", 5.2.6 "System Description Table Header",
 * 5.2.12 "Multiple APIC Description Table").
 */
#include <hv/error.h>
#include <hv/string.h>
#include <hv/x86_madt.h>

#define RSDP_V1_LEN   20
#define RSDP_RSDT     16
#define RSDP_REVISION 15
#define RSDP_LENGTH   20
#define RSDP_XSDT     24
#define RSDP_V2_LEN   36
#define HDR_LEN	      36
#define HDR_LENGTH    4
#define MADT_ENTRIES  44
#define MADT_LAPIC    0
#define MADT_X2APIC   9
#define LAPIC_ID      3 /* byte */
#define LAPIC_FLAGS   4
#define X2APIC_ID     4
#define X2APIC_FLAGS  8
#define FLAG_ENABLED  1u
#define MAX_TABLE_LEN (1u << 20)
#define MAX_LISTED    64 /* CPUs looked at for the boot CPU's */

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static bool sums_to_zero(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

/* The table at `pa` with signature `sig`, checked; its length in *len. */
static const uint8_t *table(hv_x86_acpi_map_fn map, void *ctx, hv_paddr_t pa,
			    const char *sig, uint32_t *len)
{
	const uint8_t *hdr = map(ctx, pa, HDR_LEN), *t;

	if (!hdr || (sig && memcmp(hdr, sig, 4)))
		return NULL;
	*len = get32(hdr + HDR_LENGTH);
	if (*len < HDR_LEN || *len > MAX_TABLE_LEN)
		return NULL;
	t = map(ctx, pa, *len);
	return t && sums_to_zero(t, *len) ? t : NULL;
}

/* The root table's entries (XSDT: 8 bytes each, RSDT: 4). */
static const uint8_t *root(hv_paddr_t rsdp, hv_x86_acpi_map_fn map, void *ctx,
			   uint32_t *len, unsigned int *entry)
{
	const uint8_t *r = map(ctx, rsdp, RSDP_V1_LEN);

	if (!r || memcmp(r, "RSD PTR ", 8) || !sums_to_zero(r, RSDP_V1_LEN))
		return NULL;
	if (r[RSDP_REVISION] >= 2) {
		const uint8_t *r2 = map(ctx, rsdp, RSDP_V2_LEN);

		if (!r2 || get32(r2 + RSDP_LENGTH) < RSDP_V2_LEN ||
		    !sums_to_zero(r2, RSDP_V2_LEN))
			return NULL;
		*entry = 8;
		return table(map, ctx, get64(r2 + RSDP_XSDT), "XSDT", len);
	}
	*entry = 4;
	return table(map, ctx, get32(r + RSDP_RSDT), "RSDT", len);
}

static const uint8_t *madt(hv_paddr_t rsdp, hv_x86_acpi_map_fn map, void *ctx,
			   uint32_t *len, int *err)
{
	unsigned int entry;
	uint32_t root_len;
	const uint8_t *rt = root(rsdp, map, ctx, &root_len, &entry);

	*err = -HV_EINVAL;
	if (!rt)
		return NULL;
	for (uint32_t off = HDR_LEN; off + entry <= root_len; off += entry) {
		hv_paddr_t pa = entry == 8 ? get64(rt + off) : get32(rt + off);
		const uint8_t *hdr = map(ctx, pa, HDR_LEN);

		if (hdr && !memcmp(hdr, "APIC", 4))
			return table(map, ctx, pa, "APIC", len);
	}
	*err = -HV_ENOENT;
	return NULL;
}

int hv_x86_acpi_cpus(hv_paddr_t rsdp, hv_x86_acpi_map_fn map, void *ctx,
		     uint32_t *apic_ids, unsigned int max)
{
	uint32_t len;
	int err;
	const uint8_t *m = madt(rsdp, map, ctx, &len, &err);
	unsigned int n = 0;

	if (!m)
		return err;
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
		const uint8_t *e = m + off;
		uint32_t id = 0;
		bool cpu = false;

		if (e[1] < 2 || off + e[1] > len)
			return -HV_EINVAL;
		if (e[0] == MADT_LAPIC && e[1] >= 8) {
			id = e[LAPIC_ID];
			cpu = get32(e + LAPIC_FLAGS) & FLAG_ENABLED;
		} else if (e[0] == MADT_X2APIC && e[1] >= 16) {
			id = get32(e + X2APIC_ID);
			cpu = get32(e + X2APIC_FLAGS) & FLAG_ENABLED;
		}
		if (cpu && n < max)
			apic_ids[n] = id;
		n += cpu;
		off += e[1];
	}
	return (int)n;
}

int hv_x86_acpi_cpus_boot_first(hv_paddr_t rsdp, hv_x86_acpi_map_fn map,
				void *ctx, uint32_t boot, uint32_t *apic_ids,
				unsigned int max, unsigned int *nr)
{
	uint32_t listed[MAX_LISTED];
	int n = rsdp ? hv_x86_acpi_cpus(rsdp, map, ctx, listed, MAX_LISTED)
		     : -HV_ENOENT;

	apic_ids[0] = boot;
	*nr = 1;
	for (int i = 0; i < n && i < MAX_LISTED; i++)
		if (listed[i] != boot && *nr < max)
			apic_ids[(*nr)++] = listed[i];
	return n;
}
