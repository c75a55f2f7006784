import Foundation
import HTTPTypes
import KeepCore
import KeepProtocol
import KeepServer
import KeepStore
import KeepTenancy
import KeepTestSupport
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// Tenant isolation as a matrix: every route and verb the router serves (``ServerRoutes``) (plus verbs no route
/// takes), with each kind of credential an attacker may hold, against shop B's data.
///
/// The tenant comes from the token only, so "against shop B" means: B has records, devices and a cursor, and
/// the attacker pushes B's record ids, replays B's states, sends B's cursor, and pulls from the start. Nothing
/// of B may show in a status, a body, a header or a log line, and B's store must end exactly as it began.
///
/// One world serves every credential in turn (shop A's first, while A's store holds only its own records): each
/// credential's round starts from a snapshot of B and ends with B's device syncing once more.
@Suite("Tenant isolation matrix")
struct IsolationMatrixTests {
    /// The enrollment route takes 10 tries a minute from one address and a round makes 4 (two probes, each also
    /// sent without a token), so the world's data root gets a fresh server every two rounds: every enrollment probe
    /// gets the real answer, never a 429.
    static let roundsPerServer = 2

    /// The time limit guards against a hang only: the whole matrix takes about 10 s on two idle cores.
    @Test("every route and verb, with every credential, never sees or changes shop B", .timeLimit(.minutes(10)))
    func matrix() async throws {
        let capture = LogCapture()
        let folder = TemporaryFolder()
        let credentials = Credential.allCases
        var world: World?
        for first in stride(from: 0, to: credentials.count, by: Self.roundsPerServer) {
            let rounds = credentials[first..<min(first + Self.roundsPerServer, credentials.count)]
            world = try await TestServer.run(in: folder, logger: capture.logger(level: .trace)) { [world] server in
                var world = if let world { world.served(by: server) } else { try await World.make(server) }
                for credential in rounds {
                    try await knock(with: credential, in: &world, capture: capture)
                }
                return world
            }
        }
    }

    /// Every probe with `credential`, then the checks that B, A and the logs are as they must be.
    private func knock(with credential: Credential, in world: inout World, capture: LogCapture) async throws {
        let server = world.server
        let before = try ShopSnapshot.of(world.shopB.slug, in: server)
        let authorization = credential.authorization(in: world)
        let firstMatrixLine = capture.all.count
        var foreignCursorAnswers: Set<Data> = []
        for probe in try world.probes() {
            let response = try await probe.send(to: server, authorization: authorization)
            let baseline = try await probe.send(to: server, authorization: [])
            try check(response, to: probe, with: credential, baseline: baseline, in: world)
            world.leaks(in: response, to: probe, credential: credential)
            world.leaks(in: baseline, to: probe, credential: .none)
            if probe.kind == .pull(.foreignCursor) { foreignCursorAnswers.insert(response.body) }
        }
        // B's real cursors get the very answer a cursor of no store at all gets: nothing tells B's store exists.
        #expect(
            foreignCursorAnswers.count == 1,
            "with \(credential): \(foreignCursorAnswers.map { String(decoding: $0, as: UTF8.self) })"
        )
        let matrixLines = Array(capture.all[firstMatrixLine...])

        // B's store, audit log and devices are exactly as they were; B's own device still syncs.
        #expect(try ShopSnapshot.of(world.shopB.slug, in: server) == before, "with \(credential)")
        if credential == .shopA { try await world.checkShopAKeptItsOwn() }
        try await world.checkShopBStillSyncs(after: credential)

        // Logs: no token or secret of any credential, ever; nothing of B while the attacker knocked.
        try world.checkLogs(capture.all, matrixLines: matrixLines, credential: credential)
    }

    @Test("the no-token answers every denial is compared with are the protocol's one 401 and one 405 per route", .timeLimit(.minutes(10)))
    func baselines() async throws {
        try await TestServer.run { server in
            let world = try await World.make(server)
            var unauthorized: Set<Data> = []
            for probe in try world.probes() {
                let response = try await probe.send(to: server, authorization: [])
                switch probe.kind {
                case .wrongMethod:
                    #expect(response.status == 405, "\(probe)")
                    if probe.method != .HEAD {  // an answer to HEAD has no body
                        #expect(try response.error().error == "method_not_allowed", "\(probe)")
                    }
                case .healthz:
                    #expect(response.status == 200)
                    #expect(response.text == #"{"status":"ok"}"#)
                case .metrics:
                    #expect(response.status == 200)
                case .enroll:
                    #expect(response.status == 401, "\(probe)")
                    #expect(try response.error() == SyncError.badEnrollmentCode.body, "\(probe)")
                case .hello, .pull, .push:
                    #expect(response.status == 401, "\(probe)")
                    #expect(try response.error() == SyncError.unauthorized.body, "\(probe)")
                    unauthorized.insert(response.body)
                }
            }
            #expect(unauthorized.count == 1, "one and the same 401 body on every authenticated route")
        }
    }

    /// Timing of a simple check: an unknown device id still costs a hash and a comparison (against a decoy), so
    /// it is not told apart from a real device with a wrong secret by a gross difference in time.
    @Test("Catalog.authenticate takes about as long for an unknown device as for a wrong secret of a real one", .timeLimit(.minutes(10)))
    func authenticationTiming() async throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        let slug = TenantSlug("shop-b")!
        _ = try admin.createTenant(slug)
        let real = try admin.addDevice(named: "bakery-till-b7", to: slug)
        let revoked = try admin.addDevice(named: "bakery-office-b7", to: slug)
        try admin.revokeDevice(named: "bakery-office-b7", of: slug)
        let catalog = try folder.dataRoot.openCatalog()
        defer { catalog.close() }

        let tokens: [(name: String, token: DeviceToken)] = [
            ("unknown device", DeviceToken.generate(for: DeviceID.random())),
            ("wrong secret of a real device", DeviceToken.generate(for: real.device.id)),
            ("revoked device, right secret", revoked.token),
        ]
        #expect(try catalog.authenticate(real.token) != nil, "the genuine token works: the catalog is the one the tokens name")
        // Seconds of timed work, on a thread of its own rather than one of the pool's few.
        let (samples, accepted) = try await onOwnThread { [tokens = tokens.map(\.token)] in
            let clock = ContinuousClock()
            var samples = Array(repeating: [Duration](), count: tokens.count)
            var accepted = 0
            let deadline = clock.now + .seconds(10)
            for round in 0..<350 where clock.now < deadline {
                for (index, token) in tokens.enumerated() {
                    var found: AuthenticatedDevice?
                    let elapsed = try clock.measure { found = try catalog.authenticate(token) }
                    if found != nil { accepted += 1 }
                    if round >= 50 { samples[index].append(elapsed) }  // the first rounds warm caches up
                }
            }
            return (samples, accepted)
        }
        #expect(accepted == 0, "none of these tokens may authenticate")
        let medians = samples.map { $0.sorted()[$0.count / 2] }
        let report = zip(tokens, medians).map { "\($0.name): \($1)" }.joined(separator: ", ")
        #expect(samples.allSatisfy { $0.count >= 100 }, "enough samples within the time bound: \(samples.map(\.count))")
        let slowest = medians.max()!
        let fastest = medians.min()!
        #expect(slowest < fastest * 3, "medians within a factor of 3: \(report)")
    }

    /// Whether the answer to `probe`, sent with `credential`, is the one the protocol gives, and no more.
    private func check(_ response: TestResponse, to probe: Probe, with credential: Credential, baseline: TestResponse, in world: World) throws {
        let access = credential.access
        switch probe.kind {
        case .wrongMethod, .healthz, .enroll:
            // The token plays no part: the answer is the no-token one, byte for byte, and that is the real answer.
            #expect(Answer(response) == Answer(baseline), "\(probe) with \(credential): \(response.status) \(response.text)")
            if probe.kind == .enroll { #expect(baseline.status == 401, "\(probe) with \(credential): \(baseline.text)") }
        case .metrics:
            #expect(response.status == 200, "\(probe) with \(credential)")
        case .hello, .pull, .push:
            switch access {
            case .unauthorized:
                #expect(Answer(response) == Answer(baseline), "\(probe) with \(credential): \(response.status) \(response.text)")
                #expect(response.status == 401, "\(probe) with \(credential)")
            case .suspended:
                #expect(response.status == 403, "\(probe) with \(credential): \(response.text)")
                #expect(try response.error().error == "suspended", "\(probe) with \(credential)")
            case .shopA:
                try world.checkShopA(response, to: probe)
            }
        }
    }
}

// MARK: - Credentials

/// What an attacker may hold. Each is tried on every route and verb.
enum Credential: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The working token of shop A, which has data of its own: may see and change shop A only.
    case shopA
    /// A token of shop B's device revoked by the operator.
    case revokedB
    /// The old token of shop B's device whose token the operator rotated.
    case rotatedOutB
    /// A token of shop D, deleted by the operator.
    case deletedShopD
    /// A token of shop C, suspended by the operator.
    case suspendedC
    /// No `Authorization` header.
    case none
    /// `Authorization: Bearer`.
    case bearerOnly
    /// `Authorization: Bearer x`.
    case bearerX
    /// `Authorization: Basic <B's working token>`: the right token under the wrong scheme.
    case basicWithTokenOfB
    /// B's working device id with another, well-formed secret.
    case wrongSecretOfB
    /// A well-formed token of a device id no shop has.
    case unknownDevice
    /// B's working token followed by 10 KB more.
    case overlong
    /// B's working device id and a secret with non-ASCII bytes.
    case nonASCII
    /// B's working token with one character changed: a well-formed token that is nobody's.
    case oneCharacterOffB
    /// Two `Authorization` headers: A's token, then B's.
    case twoHeaders

    enum Access {
        case shopA, unauthorized, suspended
    }

    var access: Access {
        switch self {
        case .shopA: .shopA
        case .suspendedC: .suspended
        default: .unauthorized
        }
    }

    var testDescription: String { rawValue }

    /// The `Authorization` header values this credential sends (none for ``none``).
    func authorization(in world: World) -> [String] {
        switch self {
        case .shopA: ["Bearer \(world.tokenA)"]
        case .revokedB: ["Bearer \(world.revokedB)"]
        case .rotatedOutB: ["Bearer \(world.rotatedOutB)"]
        case .deletedShopD: ["Bearer \(world.tokenD)"]
        case .suspendedC: ["Bearer \(world.tokenC)"]
        case .none: []
        case .bearerOnly: ["Bearer"]
        case .bearerX: ["Bearer x"]
        case .basicWithTokenOfB: ["Basic \(world.liveB)"]
        case .wrongSecretOfB: ["Bearer \(world.wrongSecretOfB)"]
        case .unknownDevice: ["Bearer \(world.unknownDevice)"]
        case .overlong: ["Bearer \(world.liveB)\(world.overlongTail)"]
        case .nonASCII: ["Bearer \(world.nonASCII)"]
        case .oneCharacterOffB: ["Bearer \(world.oneCharacterOffB)"]
        case .twoHeaders: ["Bearer \(world.tokenA)", "Bearer \(world.liveB)"]
        }
    }
}

// MARK: - The world

/// Shops A (active, with data), B (the victim, with records, a cursor and devices working, revoked and
/// rotated), C (suspended, with data) and D (deleted), on one running server.
struct World: Sendable {
    private(set) var server: TestServer
    let shopA: Tenant
    let shopB: Tenant
    let tokenA: String
    let laptopA: Laptop
    let recordsA: [RecordState]
    /// A's own writes under B's record ids, pushed by A's laptop.
    let lookalikes: [RecordState]
    let liveB: String
    var laptopB: Laptop
    let recordsB: [RecordState]
    let pushOfB: PushRequest
    /// B's latest cursor: each round's last pull from B moves it on.
    var cursorB: String
    /// What B's device added after each round so far.
    var laterRecordsOfB: [RecordID] = []
    let revokedB: String
    let rotatedOutB: String
    let tokenC: String
    let tokenD: String
    let wrongSecretOfB: String
    let unknownDevice: String
    let nonASCII: String
    let oneCharacterOffB: String
    let overlongTail: String

    static let deviceA = "counter-laptop-a3"
    static let devicesOfB = ["bakery-till-b7", "bakery-office-b7", "bakery-spare-b7"]
    static let customersOfB = ["Wiesława Brzęczyszczykiewicz", "Bartholomew Secretbaker", "Ωmega Bakerson"]
    static let customerOfRevokedB = "Quentin Backoffice"
    static let customersOfA = ["Anna Ashop", "Arno Ashop"]
    static let customerOfC = "Cecilia Cshop"
    /// The customer B's device adds after each credential's round.
    static let customerOfLaterB = "Berenika After"

    static func make(_ server: TestServer) async throws -> World {
        let shopA = try server.createTenant("shop-a")
        let shopB = try server.createTenant("shop-b")
        try server.createTenant("shop-c")
        try server.createTenant("shop-d")
        let slugB = shopB.slug

        // A: a working device with records of its own.
        let tokenA = try server.addDevice(deviceA, to: "shop-a")
        var laptopA = Laptop()
        let recordsA = customersOfA.map { laptopA.newCustomer($0) }
        try expectPushed(try await server.push(laptopA.push(recordsA), token: tokenA))

        // B: an office laptop that pushed and was then revoked, a till that pushed, and a spare whose token was rotated.
        let liveB = try server.addDevice(devicesOfB[0], to: "shop-b")
        let revokedB = try server.addDevice(devicesOfB[1], to: "shop-b")
        let spareB = try server.addDevice(devicesOfB[2], to: "shop-b")
        var officeB = Laptop()
        let officeRecord = officeB.newCustomer(customerOfRevokedB)
        try expectPushed(try await server.push(officeB.push([officeRecord]), token: revokedB))
        var laptopB = Laptop()
        let tillRecords = customersOfB.map { laptopB.newCustomer($0) }
        let pushOfB = laptopB.push(tillRecords)
        try expectPushed(try await server.push(pushOfB, token: liveB))
        let cursorB = try await server.pull(token: liveB).decode(PullResponse.self).cursor
        try server.admin.revokeDevice(named: devicesOfB[1], of: slugB)
        _ = try server.admin.rotateDevice(named: devicesOfB[2], of: slugB)

        // C: a device with a record, then the shop is suspended. D: a device, then the shop is deleted.
        let tokenC = try server.addDevice("corner-till-c5", to: "shop-c")
        var laptopC = Laptop()
        try expectPushed(try await server.push(laptopC.push([laptopC.newCustomer(customerOfC)]), token: tokenC))
        try server.admin.suspend(TenantSlug("shop-c")!)
        let tokenD = try server.addDevice("gone-till-d9", to: "shop-d")
        try server.admin.delete(TenantSlug("shop-d")!, force: true)

        // What A's laptop writes under B's record ids.
        var writer = laptopA
        let recordsOfB = [officeRecord] + tillRecords
        let lookalikes = recordsOfB.map { record in
            var state = RecordState(id: record.id, kind: .customer)
            writer.write(["name": .text("Mallory Lookalike")], to: &state)
            return state
        }

        let idOfB = String(liveB.dropFirst(4).prefix(16))
        let secretOfB = String(liveB.suffix(43))
        var offByOne = Array(secretOfB)
        offByOne[0] = offByOne[0] == "A" ? "B" : "A"
        return World(
            server: server,
            shopA: shopA,
            shopB: shopB,
            tokenA: tokenA,
            laptopA: writer,
            recordsA: recordsA,
            lookalikes: lookalikes,
            liveB: liveB,
            laptopB: laptopB,
            recordsB: recordsOfB,
            pushOfB: pushOfB,
            cursorB: cursorB,
            revokedB: revokedB,
            rotatedOutB: spareB,
            tokenC: tokenC,
            tokenD: tokenD,
            wrongSecretOfB: DeviceToken.generate(for: DeviceID(idOfB)!).text,
            unknownDevice: DeviceToken.generate(for: DeviceID.random()).text,
            nonASCII: "kw1_\(idOfB)_" + "ÄÖÜ€✓" + String(secretOfB.dropFirst(5)),
            oneCharacterOffB: "kw1_\(idOfB)_" + String(offByOne),
            overlongTail: String(repeating: "Zq9-", count: 2_560)
        )
    }

    /// The same shops, devices and records, served by `server` over the same data root.
    func served(by server: TestServer) -> World {
        var world = self
        world.server = server
        return world
    }

    private static func expectPushed(_ response: TestResponse) throws {
        _ = try response.decode(PushResponse.self)
    }

    // MARK: The requests

    /// Every route with every verb it takes (in several variants aimed at B's data) and several it does not.
    func probes() throws -> [Probe] {
        let otherMethods: [HTTPMethod] = [.GET, .POST, .PUT, .DELETE, .PATCH, .OPTIONS, .HEAD, .TRACE, .RAW(value: "PROPFIND")]
        let routes = try ServerRoutes.served(over: server.dataRoot).allowedMethods
        var probes: [Probe] = []
        for path in routes.keys.sorted() {
            let allowed = routes[path, default: []].map { HTTPMethod(rawValue: $0.rawValue) }
            for method in allowed {
                probes += variants(method, path)
            }
            for method in otherMethods where !allowed.contains(method) {
                let body = [.POST, .PUT, .PATCH].contains(method) ? encoded(laptopA.push(lookalikes)) : nil
                probes.append(Probe(kind: .wrongMethod, method: method, path: path, body: body, label: "a verb \(path) does not take"))
            }
        }
        return probes
    }

    /// The requests a route takes, aimed at B's data.
    private func variants(_ method: HTTPMethod, _ path: String) -> [Probe] {
        let replicaB = laptopB.replica
        let noStore = "0123456789abcdef"
        switch path {
        case "/healthz":
            return [Probe(kind: .healthz, method: method, path: path, label: "health")]
        case "/metrics":
            return [Probe(kind: .metrics, method: method, path: path, label: "metrics")]
        case "/v1/enroll":
            return [
                Probe(kind: .enroll, method: method, path: path, body: encoded(EnrollRequest(code: "7KQ2M-XD9PH")), label: "a wrong code"),
                Probe(kind: .enroll, method: method, path: path, body: encoded(EnrollRequest(code: "shop-b")), label: "a non-code"),
            ]
        case "/v1/hello":
            return [Probe(kind: .hello, method: method, path: path, label: "hello")]
        case "/v1/pull":
            return [
                Probe(kind: .pull(.fromStart), method: method, path: path, label: "from the start"),
                Probe(kind: .pull(.fromStart), method: method, path: path + "?tenant=shop-b&shop=shop-b", label: "naming shop B in the query"),
                Probe(kind: .pull(.foreignCursor), method: method, path: path + "?cursor=\(cursorB)", label: "B's cursor"),
                Probe(kind: .pull(.foreignCursor), method: method, path: path + "?cursor=\(cursorB)&limit=1", label: "B's cursor, limit 1"),
                Probe(
                    kind: .pull(.foreignCursor),
                    method: method,
                    path: path + "?cursor=\(shopB.serverReplica.rawValue).0",
                    label: "B's store from its start"
                ),
                Probe(kind: .pull(.foreignCursor), method: method, path: path + "?cursor=\(noStore).4", label: "a cursor of no store"),
            ]
        case "/v1/push":
            var forged = recordsB.map { RecordState(id: $0.id, kind: .customer) }
            for index in forged.indices {
                forged[index].write(["name": .text("Forged by A")], dot: Dot(replica: replicaB, counter: 1_000 + UInt64(index)), at: 0, by: "mallory")
            }
            return [
                Probe(
                    kind: .push(.lookalikes),
                    method: method,
                    path: path,
                    body: encoded(laptopA.push(lookalikes)),
                    label: "A's writes under B's ids"
                ),
                Probe(kind: .push(.replay), method: method, path: path, body: encoded(pushOfB), label: "B's own push, replayed"),
                Probe(
                    kind: .push(.statesOfB),
                    method: method,
                    path: path,
                    body: encoded(PushRequest(replica: laptopA.replica, records: recordsB)),
                    label: "B's states under A's replica"
                ),
                Probe(
                    kind: .push(.asReplicaOfB),
                    method: method,
                    path: path,
                    body: encoded(PushRequest(replica: replicaB, records: forged)),
                    label: "as B's replica, continuing B's counter"
                ),
                Probe(kind: .push(.emptyObject), method: method, path: path, body: ByteBuffer(string: "{}"), label: "an empty object"),
            ]
        default:
            Issue.record("a route the matrix does not know: \(path); add its variants")
            return [Probe(kind: .wrongMethod, method: method, path: path, label: "unknown route")]
        }
    }

    private func encoded(_ value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONEncoder().encode(value))
    }

    // MARK: Shop A's own view

    /// A's token gets A's answers: its own shop, its own records, never B's.
    func checkShopA(_ response: TestResponse, to probe: Probe) throws {
        switch probe.kind {
        case .hello:
            let hello = try response.decode(HelloResponse.self)
            #expect(hello.tenant == "shop-a")
            #expect(hello.device == Self.deviceA)
            #expect(hello.serverReplica == shopA.serverReplica)
            #expect(hello.deviceReplica == laptopA.replica)
        case .pull(.fromStart):
            // The pulls come before the pushes in the matrix: A's store holds A's records only.
            let page = try response.decode(PullResponse.self)
            #expect(Set(page.records) == Set(recordsA), "\(probe)")
            #expect(!page.cursor.hasPrefix(shopB.serverReplica.rawValue), "\(probe)")
        case .pull(.foreignCursor):
            #expect(response.status == 400, "\(probe): \(response.text)")
            #expect(try response.error().error == "bad_cursor", "\(probe)")
        case .push(.lookalikes):
            let answer = try response.decode(PushResponse.self)
            #expect(answer == PushResponse(received: lookalikes.count, changed: lookalikes.count, conflicted: 0))
        case .push(.replay), .push(.asReplicaOfB):
            #expect(response.status == 403, "\(probe): \(response.text)")
            #expect(try response.error().error == "replica_mismatch", "\(probe)")
        case .push(.statesOfB):
            #expect(response.status == 422, "\(probe): \(response.text)")
            #expect(try response.error().error == "rejected_record", "\(probe)")
        case .push(.emptyObject):
            #expect(response.status == 400, "\(probe): \(response.text)")
            #expect(try response.error().error == "malformed_json", "\(probe)")
        case .wrongMethod, .healthz, .metrics, .enroll:
            Issue.record("not a route of shop A's: \(probe)")
        }
    }

    /// After the matrix, A's store holds its records and its own writes under B's ids, nothing of B's.
    func checkShopAKeptItsOwn() async throws {
        let pulled = try await server.pullAll(token: tokenA)
        #expect(Set(pulled) == Set(recordsA + lookalikes))
        let onDisk = try ReplicaStoreProbe.records(at: server.dataRoot.storePath(of: shopA.slug))
        #expect(Set(onDisk) == Set(recordsA + lookalikes))
    }

    /// B's device still syncs: hello names B, a new write goes through, and B's cursor brings back just that.
    mutating func checkShopBStillSyncs(after credential: Credential) async throws {
        let hello = try await server.hello(token: liveB)
        #expect(hello.tenant == "shop-b", "after \(credential)")
        #expect(hello.deviceReplica == laptopB.replica, "after \(credential)")
        let fresh = laptopB.newCustomer(Self.customerOfLaterB)
        laterRecordsOfB.append(fresh.id)
        let answer = try await server.push(laptopB.push([fresh]), token: liveB).decode(PushResponse.self)
        #expect(answer == PushResponse(received: 1, changed: 1, conflicted: 0), "after \(credential)")
        let page = try await server.pull(token: liveB, cursor: cursorB).decode(PullResponse.self)
        #expect(page.records == [fresh], "after \(credential): since B's cursor, only B's own new write")
        #expect(!page.more, "after \(credential)")
        cursorB = page.cursor
    }

    // MARK: Leaks

    /// What no answer may ever carry, whoever asks: B's name and devices, and any token's secret.
    private var neverShown: [String] {
        ["shop-b"] + Self.devicesOfB + secrets
    }

    /// What no answer to someone else may carry unless the request itself sent it: B's records and replicas.
    private var notShownUnlessSent: [String] {
        (recordsB.map(\.id) + laterRecordsOfB).map(\.rawValue) + Self.customersOfB
            + [Self.customerOfRevokedB, Self.customerOfLaterB, shopB.serverReplica.rawValue, laptopB.replica.rawValue]
    }

    /// The secret part of every token in play, B's working one included.
    var secrets: [String] {
        [tokenA, liveB, revokedB, rotatedOutB, tokenC, tokenD, wrongSecretOfB, unknownDevice, oneCharacterOffB].map { String($0.suffix(43)) }
    }

    /// Records every piece of B (or secret) found in an answer's status line, headers or body.
    func leaks(in response: TestResponse, to probe: Probe, credential: Credential) {
        var shown = response.text
        for header in response.headers { shown += "\n\(header.name): \(header.value)" }
        let sent = probe.path + String(buffer: probe.body ?? ByteBuffer())
        var found = neverShown.filter { shown.contains($0) }
        // The suspended shop's data reaches nobody; shop A's only its own device.
        found += ([Self.customerOfC] + (credential == .shopA ? [] : Self.customersOfA)).filter { shown.contains($0) }
        found += notShownUnlessSent.filter { shown.contains($0) && !sent.contains($0) }
        if probe.kind == .metrics {
            // The metrics count for the whole server: no shop, device or person at all.
            found += ["shop-a", "shop-c", "shop-d", Self.deviceA, "Ashop", "Cshop"].filter { shown.contains($0) }
        }
        #expect(found.isEmpty, "\(probe) with \(credential) shows \(found): \(response.status) \(response.text.prefix(300))")
    }

    /// No log line has a token or a secret of any credential; none written while the attacker knocked names B.
    func checkLogs(_ lines: [String], matrixLines: [String], credential: Credential) throws {
        #expect(!lines.isEmpty, "the capturing logger is in use")
        let text = lines.joined(separator: "\n")
        var forbidden = secrets + secrets.map { String($0.prefix(12)) }
        forbidden += [tokenA, liveB, revokedB, rotatedOutB, tokenC, tokenD, wrongSecretOfB, unknownDevice, nonASCII, oneCharacterOffB]
        forbidden += [String(overlongTail.prefix(40)), "ÄÖÜ€✓"]
        for header in credential.authorization(in: self) where header.count >= 16 {
            forbidden.append(header)
        }
        let inLog = forbidden.filter { text.contains($0) }
        #expect(inLog.isEmpty, "with \(credential), the log shows \(inLog)")

        let ofB = (neverShown + notShownUnlessSent).filter { secret in matrixLines.contains { $0.contains(secret) } }
        #expect(ofB.isEmpty, "with \(credential), the log shows \(ofB) of shop B: \(matrixLines.filter { $0.contains("shop-b") }.prefix(3))")
        let probeCount = try probes().count
        #expect(matrixLines.count >= probeCount, "one request line per request at least")
    }
}

// MARK: - Requests and answers

/// One request of the matrix.
struct Probe: Sendable, CustomStringConvertible {
    enum Kind: Equatable {
        case wrongMethod, healthz, metrics, enroll, hello
        case pull(Pull)
        case push(Push)
    }

    enum Pull: Equatable {
        case fromStart, foreignCursor
    }

    enum Push: Equatable {
        case lookalikes, replay, statesOfB, asReplicaOfB, emptyObject
    }

    let kind: Kind
    let method: HTTPMethod
    /// The path with its query.
    let path: String
    var body: ByteBuffer?
    let label: String

    var description: String { "\(method.rawValue) \(path.prefix(60)) (\(label))" }

    /// Sends the probe with these `Authorization` header values and the protocol's version headers.
    func send(to server: TestServer, authorization: [String]) async throws -> TestResponse {
        try await server.send(method, path, body: body, headers: authorization.map { ("Authorization", $0) })
    }
}

/// What a client can tell of an answer: status, headers and body, without the headers that differ per
/// request (its id) or per second (its date).
struct Answer: Equatable, CustomStringConvertible {
    let status: Int
    let headers: [String]
    let body: Data

    init(_ response: TestResponse) {
        status = response.status
        headers = response.headers.filter { !["keep-request-id", "date"].contains($0.name.lowercased()) }
            .map { "\($0.name.lowercased()): \($0.value)" }.sorted()
        body = response.body
    }

    var description: String { "\(status) \(headers) \(String(decoding: body, as: UTF8.self))" }
}

/// Everything the server keeps of one shop: its store's records and change counter, its audit log, its devices.
struct ShopSnapshot: Equatable {
    let records: [RecordState]
    let lastChange: Int64
    let audit: [AuditEntry]
    let devices: [Device]

    static func of(_ slug: TenantSlug, in server: TestServer) throws -> ShopSnapshot {
        let store = try ReplicaStore.open(at: server.dataRoot.storePath(of: slug))
        defer { try? store.close() }
        return ShopSnapshot(
            records: try store.changes(after: 0, limit: 100_000).states,
            lastChange: try store.lastChangeSeq(),
            audit: try server.admin.tenant(slug).audit,
            devices: try server.admin.devices(of: slug)
        )
    }
}
