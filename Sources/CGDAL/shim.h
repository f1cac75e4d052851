#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_alg.h>
#include <gdal_utils.h>

/* Exported by libgdal (port/cpl_sha256.h) but that header is not installed by libgdal-dev. */
void CPL_SHA256(const void *datap, size_t length, unsigned char digest[32]);
