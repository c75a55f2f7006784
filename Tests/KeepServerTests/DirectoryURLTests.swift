import KeepCore
import KeepTenancy
import Testing

/// `--catalog`'s URL, parsed before anything connects: no PostgreSQL needed.
@Suite("The directory's URL")
struct DirectoryURLTests {
    @Test("a full URL: user, password, host, port, database and sslmode; the password is never printed")
    func full() throws {
        let url = try DirectoryURL.parse("postgresql://keep:s3cret@db.example:6543/keep_cluster?sslmode=require")
        #expect(url.user == "keep")
        #expect(url.password == "s3cret")
        #expect(url.address == "db.example:6543")
        #expect(url.database == "keep_cluster")
        #expect(url.tls == .require)
        #expect(url.description == "postgresql://keep@db.example:6543/keep_cluster?sslmode=require")
        #expect(!url.description.contains("s3cret"))
    }

    @Test("defaults: port 5432, sslmode prefer; postgres:// is accepted too")
    func defaults() throws {
        let url = try DirectoryURL.parse("postgres://keep@127.0.0.1/keep")
        #expect(url.port == 5432)
        #expect(url.tls == .prefer)
        #expect(url.password == nil)
        #expect(url.description == "postgresql://keep@127.0.0.1:5432/keep")
    }

    @Test(
        "a URL missing a part, or with another scheme or option, is a usage error naming the form to use",
        arguments: [
            "", "keep@127.0.0.1/keep", "http://keep@127.0.0.1/keep", "postgresql://127.0.0.1/keep", "postgresql://keep@/keep",
            "postgresql://keep@127.0.0.1", "postgresql://keep@127.0.0.1/a/b", "postgresql://keep@127.0.0.1/keep?sslmode=verify-full",
        ]
    )
    func bad(_ text: String) {
        let error = #expect(throws: KeepServerError.self) { try DirectoryURL.parse(text) }
        #expect(error?.status == .usage)
        #expect(error?.description.contains("postgresql://USER@HOST:PORT/DB") == true, "\(error?.description ?? "")")
    }
}
