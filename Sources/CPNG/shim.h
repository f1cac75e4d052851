#include <png.h>

/* png.h's format macros are expressions Swift does not import; these carry their values. */
static const png_uint_32 LITFASS_PNG_FORMAT_RGB = PNG_FORMAT_RGB;
static const png_uint_32 LITFASS_PNG_FORMAT_RGBA = PNG_FORMAT_RGBA;
static const png_uint_32 LITFASS_PNG_FORMAT_RGB_COLORMAP = PNG_FORMAT_RGB_COLORMAP;
