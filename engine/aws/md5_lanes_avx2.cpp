// md5_lanes_kernel.inc built for AVX2 (see md5_lanes.hpp).
#define FSD_MD5_LANES_FN md5_lanes_avx2
#include "engine/aws/md5_lanes_kernel.inc"
