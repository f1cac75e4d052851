// swift-tools-version: 6.0
// Litfass — coverage planning for mobile networks and fibre.
// No package dependencies: the geospatial C libraries come in as system libraries.
import PackageDescription

let package = Package(
    name: "Litfass",
    products: [
        .executable(name: "litfass", targets: ["litfass"]),
        .library(name: "LitfassGeo", targets: ["LitfassGeo"]),
        .library(name: "LitfassRadio", targets: ["LitfassRadio"]),
        .library(name: "LitfassScenario", targets: ["LitfassScenario"]),
        .library(name: "LitfassKernel", targets: ["LitfassKernel"]),
        .library(name: "LitfassCoverage", targets: ["LitfassCoverage"]),
        .library(name: "LitfassQuery", targets: ["LitfassQuery"]),
        .library(name: "LitfassOptimise", targets: ["LitfassOptimise"]),
        .library(name: "LitfassServe", targets: ["LitfassServe"]),
    ],
    targets: [
        // C layer: imported by LitfassGeo only.
        .systemLibrary(name: "CPROJ", path: "Sources/CPROJ", pkgConfig: "proj",
                       providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CGEOS", path: "Sources/CGEOS", pkgConfig: "geos",
                       providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CGDAL", path: "Sources/CGDAL", pkgConfig: "gdal",
                       providers: [.apt(["libgdal-dev"])]),
        // PNG writer (libpng's simplified API): imported by LitfassGeo only, for the previews.
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        // HTTP server (GNU libmicrohttpd): imported by LitfassServe only.
        .systemLibrary(name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),

        // Geo foundation: coordinates, bounding boxes, geometry, projections, vector and raster I/O.
        .target(name: "LitfassGeo", dependencies: ["CPROJ", "CGEOS", "CGDAL", "CPNG"]),
        // Radio physics: path-loss models, antenna patterns, link budget, throughput. Pure Swift.
        .target(name: "LitfassRadio"),
        // Domain model and the scenario store (GeoPackage): buildings, addresses, streets, sites, fibre.
        .target(name: "LitfassScenario", dependencies: ["LitfassGeo", "LitfassRadio"]),
        // Propagation kernel: height raster, ray casting, rooftop diffraction, corner paths. Flat arrays.
        .target(name: "LitfassKernel", dependencies: ["LitfassGeo", "LitfassRadio"]),
        // Use case: address queries — finding the building, fibre routing and cost, mobile links.
        .target(name: "LitfassQuery", dependencies: ["LitfassScenario", "LitfassGeo", "LitfassRadio", "LitfassKernel", "LitfassCoverage"]),
        // Use case: coverage maps (RSRP, best server, SINR, throughput) of a scenario, GeoTIFF/PNG/summary.
        .target(name: "LitfassCoverage", dependencies: ["LitfassKernel", "LitfassScenario", "LitfassGeo", "LitfassRadio"]),
        // Use case: carrier site lists (CSV, GeoJSON, GeoPackage, KML/KMZ, Shapefile) into the scenario store, history and rollback.
        .target(name: "LitfassImport", dependencies: ["LitfassScenario", "LitfassGeo", "LitfassRadio"]),

        // Use case: batch site optimisation — which candidates to equip, covered demand against cost.
        .target(name: "LitfassOptimise",
                dependencies: ["LitfassScenario", "LitfassGeo", "LitfassRadio", "LitfassKernel", "LitfassCoverage", "LitfassQuery"]),

        // Service desk: `litfass serve` — HTTP server (libmicrohttpd), JSON API over one QueryEngine, the map page.
        .target(name: "LitfassServe", dependencies: ["CMicroHTTPD", "LitfassQuery", "LitfassCoverage", "LitfassScenario", "LitfassGeo"],
                resources: [.copy("Web")]),

        // Thin command-line tool over the libraries.
        .executableTarget(name: "litfass", dependencies: ["LitfassGeo", "LitfassRadio", "LitfassScenario", "LitfassKernel", "LitfassCoverage", "LitfassQuery", "LitfassOptimise", "LitfassImport", "LitfassServe"]),

        // Benchmarks: release build, warm-up, several runs, median.
        .executableTarget(name: "LitfassBenchmarks",
                          dependencies: ["LitfassGeo", "LitfassRadio", "LitfassScenario", "LitfassKernel", "LitfassCoverage", "LitfassQuery", "LitfassOptimise", "LitfassImport", "LitfassServe", "_LitfassTestSupport"],
                          path: "Benchmarks/LitfassBenchmarks"),

        // Shared test support: paths to the shared data and reference files, temporary folders.
        .target(name: "_LitfassTestSupport", dependencies: ["LitfassRadio"], path: "Sources/_LitfassTestSupport"),
        .testTarget(name: "LitfassGeoTests", dependencies: ["LitfassGeo", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassRadioTests", dependencies: ["LitfassRadio", "_LitfassTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LitfassScenarioTests",
                    dependencies: ["LitfassScenario", "LitfassGeo", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassKernelTests", dependencies: ["LitfassKernel", "LitfassGeo", "LitfassRadio", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassCoverageTests",
                    dependencies: ["LitfassCoverage", "LitfassKernel", "LitfassScenario", "LitfassGeo", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassQueryTests", dependencies: ["LitfassQuery", "LitfassScenario", "LitfassGeo", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassOptimiseTests",
                    dependencies: ["LitfassOptimise", "LitfassScenario", "LitfassGeo", "LitfassKernel", "LitfassCoverage", "LitfassQuery", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassImportTests", dependencies: ["LitfassImport", "LitfassScenario", "LitfassGeo", "_LitfassTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LitfassServeTests", dependencies: ["LitfassServe", "LitfassQuery", "LitfassCoverage", "LitfassGeo", "LitfassScenario", "_LitfassTestSupport"]),
        .testTarget(name: "LitfassCLITests", dependencies: ["_LitfassTestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
