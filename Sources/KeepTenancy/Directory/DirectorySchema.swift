/// The directory's schema history in PostgreSQL. Migrations are named and never edited once released, like the
/// stores' and the SQLite catalog's: operators rely on them, and `keep_migration` records which ran.
///
/// The tables mirror the SQLite catalog (`CatalogSchema`) column for column, in PostgreSQL's own types, plus what
/// only a cluster needs: its nodes and where each shop is placed. The constraints are the rules: a row that breaks
/// one is refused by PostgreSQL, whichever node or tool wrote it.
enum DirectorySchema {
    /// One named migration: statements run in order, in the migrator's transaction.
    struct Migration: Sendable {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "d1: shops, devices, enrollment codes, limits, pushed counters, audit", statements: shopsAndDevices),
        Migration(name: "d2: nodes and placement", statements: nodesAndPlacement),
    ]

    /// What the SQLite catalog's v1 to v7 hold, in one step: the directory starts at today's catalog.
    private static let shopsAndDevices = [
        // Slug rules are checked here too, so no row can name a path outside a node's data root. The shop id is
        // text, not uuid, so that it reads back exactly as laptops remember it.
        """
        CREATE TABLE tenant (
            slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
            shop text NOT NULL UNIQUE CHECK (shop ~ '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$'),
            name text NOT NULL CHECK (length(name) > 0),
            status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
            server_replica text NOT NULL UNIQUE CHECK (length(server_replica) = 16),
            created_at timestamptz NOT NULL,
            exported_at timestamptz,
            max_devices integer CHECK (max_devices > 0),
            max_store_bytes bigint CHECK (max_store_bytes > 0),
            requests_per_minute integer CHECK (requests_per_minute > 0)
        )
        """,
        // Only the SHA-256 of a token's secret is kept; two devices can never share one.
        """
        CREATE TABLE device (
            id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
            tenant text NOT NULL REFERENCES tenant (slug) ON DELETE CASCADE,
            name text NOT NULL CHECK (length(name) > 0),
            secret_hash bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
            replica text CHECK (length(replica) = 16),
            pushed_counter bigint NOT NULL DEFAULT 0 CHECK (pushed_counter >= 0),
            created_at timestamptz NOT NULL,
            revoked_at timestamptz,
            last_seen_at timestamptz
        )
        """,
        "CREATE INDEX device_tenant ON device (tenant)",
        // A shop's working devices have distinct names, so `device revoke SHOP NAME` names one device.
        "CREATE UNIQUE INDEX device_active_name ON device (tenant, name) WHERE revoked_at IS NULL",
        // One store, one working device: two tokens may not push as the same replica.
        "CREATE UNIQUE INDEX device_active_replica ON device (tenant, replica) WHERE revoked_at IS NULL AND replica IS NOT NULL",
        // The pushed counter tells relayed writes from forged ones after a restore (see Authorship): it only grows.
        """
        CREATE FUNCTION device_pushed_counter_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.pushed_counter < OLD.pushed_counter THEN
                RAISE EXCEPTION 'the pushed counter of device % may only grow (% to %)', OLD.id, OLD.pushed_counter, NEW.pushed_counter
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER device_pushed_counter_only_grows BEFORE UPDATE OF pushed_counter ON device
            FOR EACH ROW EXECUTE FUNCTION device_pushed_counter_only_grows()
        """,
        // A code an operator hands to a new laptop; only its SHA-256 is kept, and it works once, briefly. `device`
        // names the device a code gives a new token to; NULL for a code that makes a new device.
        """
        CREATE TABLE enrollment (
            code_hash bytea PRIMARY KEY CHECK (length(code_hash) = 32),
            tenant text NOT NULL REFERENCES tenant (slug) ON DELETE CASCADE,
            device_name text NOT NULL CHECK (length(device_name) > 0),
            device text REFERENCES device (id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL CHECK (expires_at >= created_at),
            used_at timestamptz
        )
        """,
        "CREATE INDEX enrollment_tenant ON enrollment (tenant)",
        // The operators' trail: who created, suspended, exported or deleted which shop, and which devices they
        // added or revoked. No foreign key: the trail outlives a deleted shop.
        """
        CREATE TABLE audit (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor text NOT NULL CHECK (length(actor) > 0),
            tenant text,
            action text NOT NULL CHECK (length(action) > 0),
            detail text NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX audit_tenant ON audit (tenant, seq)",
    ]

    /// The cluster's own: its nodes, and which node holds each shop under which epoch, until when.
    private static let nodesAndPlacement = [
        """
        CREATE TABLE node (
            name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
            advertise text NOT NULL UNIQUE CHECK (advertise ~ '^https://[^/]+$'),
            joined_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz,
            capacity_bytes bigint CHECK (capacity_bytes > 0),
            free_bytes bigint CHECK (free_bytes >= 0)
        )
        """,
        // A node that still owns shops cannot be removed (ON DELETE RESTRICT): drain it first. A lease belongs to an
        // owner, so there is none without one.
        """
        ALTER TABLE tenant
            ADD COLUMN owner_node text REFERENCES node (name) ON DELETE RESTRICT,
            ADD COLUMN owner_epoch bigint NOT NULL DEFAULT 0 CHECK (owner_epoch >= 0),
            ADD COLUMN lease_expires_at timestamptz,
            ADD CONSTRAINT tenant_lease_has_owner CHECK (lease_expires_at IS NULL OR owner_node IS NOT NULL)
        """,
        "CREATE INDEX tenant_owner ON tenant (owner_node)",
        // Fencing: the epoch never goes back, and a new owner always comes with a higher one, so a node that
        // remembers an older epoch can tell it is no longer the owner whatever its clock says.
        """
        CREATE FUNCTION tenant_owner_epoch_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.owner_epoch < OLD.owner_epoch THEN
                RAISE EXCEPTION 'the owner epoch of shop % may only grow (% to %)', OLD.slug, OLD.owner_epoch, NEW.owner_epoch
                    USING ERRCODE = 'check_violation';
            END IF;
            IF NEW.owner_node IS DISTINCT FROM OLD.owner_node AND NEW.owner_epoch <= OLD.owner_epoch THEN
                RAISE EXCEPTION 'shop % changed owner without a new epoch', OLD.slug USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER tenant_owner_epoch_only_grows BEFORE UPDATE OF owner_node, owner_epoch ON tenant
            FOR EACH ROW EXECUTE FUNCTION tenant_owner_epoch_only_grows()
        """,
    ]
}
