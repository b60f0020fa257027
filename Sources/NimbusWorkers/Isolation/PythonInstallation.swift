import Foundation

/// Where the host's python really lives, so a sandbox can show it (and only it) read-only.
/// `python3` on PATH is often a shim (pyenv, asdf) that needs the user's home: the sandbox runs
/// the interpreter the shim would have run instead.
struct PythonInstallation: Sendable, Equatable {
    /// `sys.executable`: the interpreter as invoked (a venv's `bin/python` keeps its venv).
    var executable: String
    /// Folders to show read-only: the prefixes and the interpreter's real location.
    var roots: [String]
    /// The user site-packages when it exists (`pip install --user`): shown read-only, and found
    /// through `PYTHONUSERBASE=userBase` since the sandbox's HOME is /tmp.
    var userSite: String?
    var userBase: String?
    /// `3.11`: what every `python3.x` runtime runs on.
    var version: String

    private static let script = """
        import json, os, site, sys
        real = os.path.realpath(sys.executable)
        roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(os.path.dirname(real))}
        user = site.getusersitepackages() if site.ENABLE_USER_SITE else None
        user = user if user and os.path.isdir(user) else None
        print(json.dumps({"executable": sys.executable, "roots": sorted(roots), "user_site": user, "user_base": site.getuserbase() if user else None, "version": "%d.%d" % sys.version_info[:2]}))
        """

    static func probe(_ executable: String, searchPath: String) -> PythonInstallation? {
        guard let path = try? RuntimeLauncher.resolve(executable, path: searchPath) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let json = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
            let interpreter = json["executable"] as? String, !interpreter.isEmpty,
            let roots = json["roots"] as? [String], let version = json["version"] as? String
        else { return nil }
        return PythonInstallation(
            executable: interpreter, roots: roots, userSite: json["user_site"] as? String, userBase: json["user_base"] as? String,
            version: version)
    }
}
