import Foundation
import GRDB

/// The catalog's schema history. Migrations are named and never edited once released: operators rely on them.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: tenants and devices") { db in
            // Slug rules are checked here too, so no row can name a path outside the data root.
            try db.execute(
                sql: """
                    CREATE TABLE tenant (
                        slug TEXT PRIMARY KEY NOT NULL
                            CHECK (length(slug) BETWEEN 2 AND 63 AND slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
                        name TEXT NOT NULL CHECK (length(name) > 0),
                        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
                        serverReplica TEXT NOT NULL UNIQUE CHECK (length(serverReplica) = 16),
                        createdAt TEXT NOT NULL
                    ) STRICT;
                    CREATE TABLE device (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 16 AND id NOT GLOB '*[^0-9a-f]*'),
                        tenant TEXT NOT NULL REFERENCES tenant(slug) ON DELETE CASCADE,
                        name TEXT NOT NULL CHECK (length(name) > 0),
                        secretHash BLOB NOT NULL CHECK (length(secretHash) = 32),
                        replica TEXT CHECK (replica IS NULL OR length(replica) = 16),
                        createdAt TEXT NOT NULL,
                        revokedAt TEXT
                    ) STRICT;
                    CREATE INDEX device_tenant ON device(tenant);
                    -- A shop's working devices have distinct names, so `device revoke SHOP NAME` names one device.
                    CREATE UNIQUE INDEX device_active_name ON device(tenant, name) WHERE revokedAt IS NULL;
                    -- One store, one working device: two tokens may not push as the same replica.
                    CREATE UNIQUE INDEX device_active_replica ON device(tenant, replica) WHERE revokedAt IS NULL AND replica IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v2: tenant exports") { db in
            // When the shop was last exported: `tenant delete` refuses a shop never exported unless forced.
            try db.execute(sql: "ALTER TABLE tenant ADD COLUMN exportedAt TEXT")
        }
        migrator.registerMigration("v3: pushed counters") { db in
            // The highest counter each device has pushed under its replica. Kept beside the shop's store, not
            // in it, so that after the store is restored from a backup the server still knows which relayed
            // writes are real (see Authorship).
            try db.execute(sql: "ALTER TABLE device ADD COLUMN pushedCounter INTEGER NOT NULL DEFAULT 0 CHECK (pushedCounter >= 0)")
        }
        migrator.registerMigration("v4: enrollment codes and tenant limits") { db in
            try db.execute(
                sql: """
                    -- A code an operator hands to a new laptop; only its SHA-256 is kept, and it works once, briefly.
                    CREATE TABLE enrollment (
                        codeHash BLOB PRIMARY KEY NOT NULL CHECK (length(codeHash) = 32),
                        tenant TEXT NOT NULL REFERENCES tenant(slug) ON DELETE CASCADE,
                        deviceName TEXT NOT NULL CHECK (length(deviceName) > 0),
                        createdAt TEXT NOT NULL,
                        expiresAt TEXT NOT NULL,
                        usedAt TEXT
                    ) STRICT;
                    CREATE INDEX enrollment_tenant ON enrollment(tenant);
                    -- A shop's own limits; NULL means the server's default.
                    ALTER TABLE tenant ADD COLUMN maxDevices INTEGER CHECK (maxDevices IS NULL OR maxDevices > 0);
                    ALTER TABLE tenant ADD COLUMN maxStoreBytes INTEGER CHECK (maxStoreBytes IS NULL OR maxStoreBytes > 0);
                    ALTER TABLE tenant ADD COLUMN requestsPerMinute INTEGER CHECK (requestsPerMinute IS NULL OR requestsPerMinute > 0);
                    """
            )
        }
        migrator.registerMigration("v5: stable shop ids") { db in
            // A slug may be used again after its shop is deleted; the shop id never is. Laptops remember it, so a
            // store of another shop, or a re-created slug, is never taken for their own.
            try db.execute(sql: "ALTER TABLE tenant ADD COLUMN shop TEXT CHECK (shop IS NULL OR length(shop) = 36)")
            for slug in try String.fetchAll(db, sql: "SELECT slug FROM tenant") {
                try db.execute(sql: "UPDATE tenant SET shop = ? WHERE slug = ?", arguments: [UUID().uuidString, slug])
            }
            try db.execute(sql: "CREATE UNIQUE INDEX tenant_shop ON tenant(shop)")
        }
        migrator.registerMigration("v6: enrollment codes for existing devices") { db in
            // A code that gives an existing device a new token (its laptop lost the token, or must log in again),
            // keeping the device and the store it is bound to; NULL for a code that makes a new device.
            try db.execute(sql: "ALTER TABLE enrollment ADD COLUMN device TEXT")
        }
        migrator.registerMigration("v7: when devices were last seen") { db in
            // For `keep-server status`: a laptop silent for a week holds changes nobody else has.
            try db.execute(sql: "ALTER TABLE device ADD COLUMN lastSeenAt TEXT")
        }
        return migrator
    }
}
