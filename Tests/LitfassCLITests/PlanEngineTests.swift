import Foundation
import Testing
import _LitfassTestSupport

/// A tiled coverage plan run on existing engines — a Slurm job array on a single-node Slurm, a Kubernetes
/// Indexed Job's container command executed once per completion index, and `xargs -P` on one machine — each
/// followed by `coverage mosaic`, whose maps must equal the one-run `litfass coverage` maps on the same options
/// bit for bit, band for band, on every cell (read through GDAL's own `gdal_translate`, not through Litfass).
/// Recipes: docs/SCALE.md. Slurm and the YAML parser are installed by `scripts/test.sh`; where Slurm cannot
/// start (no root, no packages) or no Python with PyYAML is found, that test prints SKIPPED with the reason.
@Suite(.serialized) struct PlanEngineTests {
    /// Coarse, so every engine's run takes seconds: 20 m cells, 2 km tiles (the default scenario spans six), and sectors
    /// reaching 1 km, so that the tiles hold different sectors (27 to all 162).
    static let coverageOptions = ["--resolution", "20", "--max-range", "1000"]
    static let tileSize = "2000"

    /// `litfass coverage` on the same options, computed once for every test.
    static let oneRun: Result<OneRun, PlanTestError> = Result { try OneRun() }.mapError { PlanTestError("\($0)") }

    struct OneRun: Sendable {
        let folder = TemporaryFolder("litfass-one-run")
        /// Every map (`<op>-<map>.tif`, not `height.tif`) as GDAL reads it.
        let maps: [(name: String, dump: RasterDump)]

        init() throws {
            let out = folder.url
            let run = try litfassRun(["coverage"] + PlanEngineTests.coverageOptions + ["--no-previews", "--out", out.path])
            guard run.status == 0 else { throw PlanTestError("litfass coverage failed: \(run.stderr)") }
            maps = try FileManager.default.contentsOfDirectory(atPath: out.path)
                .filter { $0.hasSuffix(".tif") && $0 != "height.tif" }.sorted()
                .map { ($0, try PlanEngineTests.rasterDump(out.appendingPathComponent($0))) }
        }
    }

    // MARK: Slurm

    @Test func slurmJobArrayRunsEveryTileAndTheMosaicEqualsTheOneRunMap() throws {
        let folder = TemporaryFolder("litfass-slurm-plan")
        // Our own record of the daemons this test starts, so that it stops exactly those.
        let state = folder.file("slurm-started").path
        let start = try runProcess(Self.script("slurm/start-single-node.sh"), [], environment: Self.environment(["LITFASS_SLURM_STATE": state]))
        defer { _ = try? runProcess(Self.script("slurm/stop-single-node.sh"), [], environment: Self.environment(["LITFASS_SLURM_STATE": state])) }
        guard start.status == 0 else {
            print("PlanEngineTests: SKIPPED the Slurm job array — Slurm does not start here: \(start.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            return
        }
        let plan = try Self.makePlan(in: folder)
        let run = try runProcess(Self.script("slurm/run-plan.sh"), ["--wait", plan.folder.path],
                                 environment: Self.environment(["LITFASS": TestPaths.litfassExecutable.path]))
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: plan.folder.appendingPathComponent("slurm").path)) ?? []
        #expect(run.status == 0, "run-plan.sh: \(run.stdout)\(run.stderr)\nlogs: \(Self.tail(of: logs.map { plan.folder.appendingPathComponent("slurm/\($0)") }))")
        // One log per array task: every tile ran as its own Slurm task, and one mosaic job after them.
        #expect(logs.filter { $0.hasPrefix("tile-") }.count == plan.tileCount, "\(logs)")
        #expect(logs.filter { $0.hasPrefix("mosaic-") }.count == 1, "\(logs)")
        #expect(run.stdout.contains("\(plan.tileCount) tiles as job array"))
        try Self.expectMosaicEqualsOneRun(plan)
    }

    // MARK: Kubernetes

    @Test func kubernetesIndexedJobCommandRunsEveryIndexAndTheMosaicEqualsTheOneRunMap() throws {
        let folder = TemporaryFolder("litfass-k8s-plan")
        let plan = try Self.makePlan(in: folder)
        let rendered = folder.file("k8s")
        let render = try runProcess(Self.script("k8s/render.sh"), [plan.folder.path, "registry.example.org/litfass:test", rendered.path],
                                    environment: Self.environment(["LITFASS_K8S_PARALLELISM": "2"]))
        #expect(render.status == 0, "\(render.stderr)")
        guard let tiles = try Self.yamlDocuments(rendered.appendingPathComponent("tiles.yaml")).first,
              let mosaic = try Self.yamlDocuments(rendered.appendingPathComponent("mosaic.yaml")).first else { return }

        // The manifest is an Indexed Job with one completion per tile, its plan on a PVC mounted where PLAN points.
        #expect(tiles["apiVersion"] as? String == "batch/v1" && tiles["kind"] as? String == "Job")
        let spec = try #require(tiles["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["completions"] as? Int == plan.tileCount)
        #expect(spec["parallelism"] as? Int == 2)
        let tileContainer = try Self.container(of: tiles)
        #expect(tileContainer.image == "registry.example.org/litfass:test")
        #expect(tileContainer.claim == "litfass-plan")
        #expect(tileContainer.command.joined(separator: " ").contains("$JOB_COMPLETION_INDEX"))
        for document in [tiles, mosaic] { try Self.expectKubectlAccepts(document) }

        // Each pod's command, as the kubelet would start it, with JOB_COMPLETION_INDEX set, the volume at the plan folder.
        for index in 0..<(spec["completions"] as? Int ?? 0) {
            let pod = try tileContainer.run(mountedAt: plan.folder, extra: ["JOB_COMPLETION_INDEX": "\(index)"])
            #expect(pod.status == 0, "index \(index): \(pod.stderr)")
        }
        let mosaicPod = try Self.container(of: mosaic).run(mountedAt: plan.folder, extra: [:])
        #expect(mosaicPod.status == 0, "mosaic: \(mosaicPod.stderr)")
        try Self.expectMosaicEqualsOneRun(plan)
    }

    /// The offline check can fail: kubectl refuses a wrong type, and a misspelt field (which kubectl drops) is caught.
    @Test func kubectlCheckRejectsAWrongTypeAndAMisspeltField() throws {
        guard Self.kubectl != nil else {
            print("PlanEngineTests: SKIPPED the kubectl check — no kubectl (only Google's Cloud SDK ships a current one; Debian has none)")
            return
        }
        let folder = TemporaryFolder("litfass-k8s-bad")
        try Data(#"{"tileCount": 3}"#.utf8).write(to: folder.file("plan.json"))
        let render = try runProcess(Self.script("k8s/render.sh"), [folder.url.path, "registry.example.org/litfass:test", folder.url.path])
        try #require(render.status == 0, "\(render.stderr)")
        let text = try String(contentsOf: folder.file("tiles.yaml"), encoding: .utf8)
        for (broken, expected) in [(text.replacingOccurrences(of: "completions: 3", with: "completions: three"), "cannot unmarshal string"),
                                   (text.replacingOccurrences(of: "completionMode: Indexed", with: "completionMod: Indexed"), "spec.completionMod")] {
            try Data(broken.utf8).write(to: folder.file("broken.yaml"))
            let documents = try Self.yamlDocuments(folder.file("broken.yaml"))
            guard let document = documents.first else { return }
            let problems = try Self.kubectlProblems(document, file: folder.file("broken.yaml"))
            #expect(problems.contains { $0.contains(expected) }, "\(problems)")
        }
    }

    // MARK: xargs

    @Test func xargsRunsTheTilesTwoAtATimeAndTheMosaicEqualsTheOneRunMap() throws {
        let folder = TemporaryFolder("litfass-xargs-plan")
        let plan = try Self.makePlan(in: folder)
        // The recipe of docs/SCALE.md, word for word apart from the executable's path.
        let recipe = #"seq 0 $(( N - 1 )) | xargs -P 2 -I{} "$LITFASS" coverage tile --plan "$PLAN" --index {} --threads 1"#
        let run = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", recipe],
                                 environment: Self.environment(["N": "\(plan.tileCount)", "PLAN": plan.folder.path,
                                                                "LITFASS": TestPaths.litfassExecutable.path]))
        #expect(run.status == 0, "\(run.stderr)")
        let mosaic = try litfassRun(["coverage", "mosaic", "--plan", plan.folder.path])
        #expect(mosaic.status == 0, "\(mosaic.stderr)")
        try Self.expectMosaicEqualsOneRun(plan)
    }

    // MARK: Helpers

    struct Plan {
        let folder: URL
        let tileCount: Int
    }

    /// `litfass coverage plan` on the test's options; at least two tiles, and the printed count is plan.json's.
    static func makePlan(in folder: TemporaryFolder) throws -> Plan {
        let out = folder.file("plan")
        let run = try litfassRun(["coverage", "plan", "--out", out.path, "--tile-size", tileSize] + coverageOptions)
        try #require(run.status == 0, "coverage plan: \(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("plan.json"))) as? [String: Any])
        let count = try #require(json["tileCount"] as? Int)
        #expect(count >= 2, "the test needs a plan of several tiles")
        let reaching = (json["tiles"] as? [[String: Any]] ?? []).map { ($0["transmitters"] as? [Any])?.count ?? -1 }
        #expect(reaching.count == count && Set(reaching).count > 1, "tiles should differ in the sectors reaching them: \(reaching)")
        #expect(run.stdout.contains("Planned \(count) tiles"), "\(run.stdout)")
        return Plan(folder: out, tileCount: count)
    }

    /// Every map of the one run (`<op>-<map>.tif`) has its mosaic (`mosaic/<op>-<map>.tif`; for the RSRP maps also the
    /// `.vrt` over the tiles) with the same grid and the same bytes in every band; the RSRP maps have cells with service
    /// (not a nodata-only match).
    static func expectMosaicEqualsOneRun(_ plan: Plan) throws {
        let reference = try oneRun.get()
        #expect(reference.maps.count == 15, "\(reference.maps.map(\.name))")
        for (map, expected) in reference.maps {
            for suffix in map.hasSuffix("-rsrp.tif") ? ["tif", "vrt"] : ["tif"] {
                let name = map.dropLast(4) + "." + suffix
                let mosaic = plan.folder.appendingPathComponent("mosaic").appendingPathComponent(String(name))
                guard FileManager.default.fileExists(atPath: mosaic.path) else {
                    Issue.record("\(mosaic.path): missing (one-run map \(map))")
                    continue
                }
                let actual = try rasterDump(mosaic)
                #expect(actual.grid == expected.grid, "\(name): grid \(actual.grid) ≠ one run \(expected.grid)")
                #expect(actual.bands.count == expected.bands.count, "\(name): \(actual.bands.count) bands ≠ \(expected.bands.count)")
                for (b, (a, e)) in zip(actual.bands, expected.bands).enumerated() where a != e {
                    let differing = zip(a, e).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
                    Issue.record("\(name) band \(b + 1): \(a.count == e.count ? "\(differing.count) bytes differ, first at \(differing.first ?? -1)" : "size \(a.count) ≠ \(e.count)")")
                }
            }
            if map.hasSuffix("-rsrp.tif") {
                #expect(expected.servedCells > 100, "\(map): only \(expected.servedCells) cells with service")
            }
        }
    }

    /// A raster as GDAL reads it: size, geotransform and band types, each band's raw bytes (`gdal_translate -of ENVI`,
    /// every band in its own type; sparse COG tiles come back as nodata), and the cells of a Float32 band 1 that hold
    /// a value other than its nodata.
    struct RasterDump: Sendable {
        var grid: String
        var bands: [Data]
        var servedCells: Int
    }

    static func rasterDump(_ file: URL) throws -> RasterDump {
        let info = try gdalInfo(file)
        let size = info["size"] as? [Int] ?? []
        let transform = (info["geoTransform"] as? [Double] ?? []).map { String($0) }
        let bandInfo = info["bands"] as? [[String: Any]] ?? []
        let types = bandInfo.map { $0["type"] as? String ?? "?" }
        let folder = TemporaryFolder("litfass-raster-dump")
        let raw = folder.file("bands.bin")
        let translate = try runProcess(URL(fileURLWithPath: "/usr/bin/gdal_translate"), ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", file.path, raw.path])
        guard translate.status == 0 else { throw PlanTestError("gdal_translate \(file.path): \(translate.stderr)") }
        let data = try Data(contentsOf: raw)
        let count = max(types.count, 1)
        let bandBytes = data.count / count
        let bands = (0..<count).map { data.subdata(in: ($0 * bandBytes)..<(($0 + 1) * bandBytes)) }
        var served = 0
        if types.first == "Float32", let first = bands.first {
            let nodata = Float(bandInfo.first?["noDataValue"] as? Double ?? .nan)
            served = first.withUnsafeBytes { $0.bindMemory(to: Float.self).filter { $0 != nodata && !$0.isNaN }.count }
        }
        return RasterDump(grid: "\(size) \(transform) \(types)", bands: bands, servedCells: served)
    }

    static func gdalInfo(_ file: URL) throws -> [String: Any] {
        let run = try runProcess(URL(fileURLWithPath: "/usr/bin/gdalinfo"), ["-json", file.path])
        guard run.status == 0, let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
            throw PlanTestError("gdalinfo \(file.path): \(run.stderr)")
        }
        return json
    }

    static func tail(of files: [URL]) -> String {
        files.map { "\($0.lastPathComponent): " + ((try? String(contentsOf: $0, encoding: .utf8))?.suffix(400) ?? "") }.joined(separator: "\n")
    }

    static func script(_ relative: String) -> URL { TestPaths.repository.appendingPathComponent("scripts").appendingPathComponent(relative) }

    static func environment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(extra) { $1 }
    }

    // MARK: Kubernetes helpers

    /// The container of a Job document: its command, environment, image and the volume mounted from a PVC.
    struct Container {
        var command: [String]
        var environment: [String: String]
        var image: String
        var mountPath: String
        var claim: String

        /// Runs the container's command here: environment values under the mount path point into `folder` instead,
        /// and `litfass` on PATH is the built one.
        func run(mountedAt folder: URL, extra: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
            var env = ProcessInfo.processInfo.environment
            for (name, value) in environment {
                env[name] = value == mountPath ? folder.path
                    : value.hasPrefix(mountPath + "/") ? folder.path + value.dropFirst(mountPath.count) : value
            }
            env.merge(extra) { $1 }
            env["PATH"] = TestPaths.litfassExecutable.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
            let executable = try #require(command.first)
            return try runProcess(URL(fileURLWithPath: executable), Array(command.dropFirst()), environment: env)
        }
    }

    static func container(of job: [String: Any]) throws -> Container {
        let pod = try #require((job["spec"] as? [String: Any])?["template"] as? [String: Any])
        let podSpec = try #require(pod["spec"] as? [String: Any])
        #expect(podSpec["restartPolicy"] as? String == "Never")
        let containers = try #require(podSpec["containers"] as? [[String: Any]])
        try #require(containers.count == 1)
        let c = containers[0]
        let command = try #require(c["command"] as? [String])
        var env: [String: String] = [:]
        for item in c["env"] as? [[String: Any]] ?? [] {
            if let name = item["name"] as? String, let value = item["value"] as? String { env[name] = value }
        }
        let mount = try #require((c["volumeMounts"] as? [[String: Any]])?.first)
        let volume = try #require((podSpec["volumes"] as? [[String: Any]])?.first { $0["name"] as? String == mount["name"] as? String })
        let claim = try #require((volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String)
        let mountPath = try #require(mount["mountPath"] as? String)
        #expect(env["PLAN"] == mountPath, "PLAN must be the shared volume's mount path")
        return Container(command: command, environment: env, image: c["image"] as? String ?? "", mountPath: mountPath, claim: claim)
    }

    /// The documents of a YAML file as JSON values, through Python's PyYAML (Debian `python3-yaml`, installed by
    /// scripts/test.sh). Empty, with SKIPPED printed, when no Python with PyYAML is found.
    static func yamlDocuments(_ file: URL) throws -> [[String: Any]] {
        let program = "import json, sys, yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), sys.stdout)"
        for python in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: python) {
            let run = try runProcess(URL(fileURLWithPath: python), ["-c", program, file.path])
            if run.stderr.contains("No module named 'yaml'") { continue }
            try #require(run.status == 0, "\(file.lastPathComponent) is not valid YAML: \(run.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        }
        print("PlanEngineTests: SKIPPED the Kubernetes manifest — no Python 3 with PyYAML (scripts/test.sh installs Debian's python3-yaml)")
        return []
    }

    static let kubectl: URL? = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].lazy
        .filter { FileManager.default.isExecutableFile(atPath: $0) }.map { URL(fileURLWithPath: $0) }.first

    /// kubectl's client-side decoding of the manifest into its typed object (`kubectl set env --local`, no cluster
    /// needed: `kubectl create --dry-run=client` asks a server for its API list): a wrong type fails it, and a field
    /// kubectl does not know it drops, so every field of the file must come back.
    static func expectKubectlAccepts(_ document: [String: Any]) throws {
        guard kubectl != nil else {
            print("PlanEngineTests: SKIPPED the kubectl check — no kubectl (only Google's Cloud SDK ships a current one; Debian has none)")
            return
        }
        let folder = TemporaryFolder("litfass-kubectl")
        let file = folder.file("job.json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        let problems = try kubectlProblems(document, file: file)
        #expect(problems.isEmpty, "\(document["metadata"] ?? "?"): \(problems)")
    }

    static func kubectlProblems(_ document: [String: Any], file: URL) throws -> [String] {
        let kubectl = try #require(kubectl)
        let run = try runProcess(kubectl, ["set", "env", "--local", "-f", file.path, "LITFASS_KUBECTL_CHECK=1", "-o", "json"])
        guard run.status == 0 else { return [run.stderr] }
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return missingFields(document, in: decoded, path: "")
    }

    /// Paths of the fields of `expected` that `actual` lacks or holds with another value (lists element by element;
    /// `env` lists may have gained the check's variable).
    static func missingFields(_ expected: Any, in actual: Any?, path: String) -> [String] {
        switch expected {
        case let object as [String: Any]:
            guard let other = actual as? [String: Any] else { return [path] }
            return object.keys.sorted().flatMap { missingFields(object[$0]!, in: other[$0], path: path + "." + $0) }
        case let list as [Any]:
            guard let other = actual as? [Any], other.count >= list.count else { return [path] }
            return list.indices.flatMap { missingFields(list[$0], in: other[$0], path: path + "[\($0)]") }
        default:
            guard let other = actual else { return [path] }
            return "\(expected)" == "\(other)" ? [] : [path + ": \(expected) ≠ \(other)"]
        }
    }
}

struct PlanTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs the built `litfass` with an argument list.
func litfassRun(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runProcess(TestPaths.litfassExecutable, arguments)
}
