// md5_lanes_kernel.inc built for AVX-512VL (see md5_lanes.hpp).
#define FSD_MD5_LANES_FN md5_lanes_avx512vl
#include "engine/aws/md5_lanes_kernel.inc"
