import Foundation
import Testing
import _LitfassTestSupport

/// `litfass serve`'s options are checked before anything is served, with the CLI's usage exit code.
struct ServeCommandTests {
    @Test func badOptionsAreUsageErrors() throws {
        for arguments in [["--port", "abc"], ["--port", "70000"], ["--bind", "nowhere"], ["--bind", "::1"],
                          ["--threads", "0"], ["--colour", "red"], ["extra"], ["--coverage", "/no/such/litfass-folder"],
                          ["--coverage", "/tmp", "--no-coverage"]] {
            let run = try runProcess(TestPaths.litfassExecutable, ["serve"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("litfass serve:"), "\(arguments)")
        }
        let help = try runProcess(TestPaths.litfassExecutable, ["serve", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--bind ADDR"))
        #expect(help.stdout.contains("127.0.0.1"))
        #expect(help.stdout.contains("--coverage DIR"))
    }
}
