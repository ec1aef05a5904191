/*
 * The trampoline page's layout, shared by ap_boot.S and smp.c: the real
 * mode code at offset 0, then at AP_PARAMS what the boot CPU writes for
 * the AP that starts next.
 */
#ifndef HV_X86_AP_BOOT_H
#define HV_X86_AP_BOOT_H

#define AP_PARAMS     0x800
#define AP_GDT	      (AP_PARAMS + 0)  /* 3 descriptors: null, code, data */
#define AP_GDTR	      (AP_PARAMS + 24) /* limit (2 bytes), base (4) */
#define AP_CR3	      (AP_PARAMS + 32)
#define AP_CR4	      (AP_PARAMS + 36)
#define AP_EFER	      (AP_PARAMS + 40) /* bits ORed into EFER (low half) */
#define AP_JUMP	      (AP_PARAMS + 44) /* far pointer: offset (4), selector (2) */
#define AP_STACK      (AP_PARAMS + 56)
#define AP_MAIN	      (AP_PARAMS + 64)
#define AP_ARG	      (AP_PARAMS + 72)
#define AP_STARTED    (AP_PARAMS + 80) /* 4 bytes: the AP has read the above */
#define AP_PARAMS_END (AP_PARAMS + 84)

#endif
