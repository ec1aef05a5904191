/* placeholder until implemented */
#include <hv/core.h>
