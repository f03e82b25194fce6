-- A store as the app wrote it when the store was SQLAlchemy Core (commit e910a92): made by
-- LocalStore and sync_state (a sample table, an edited one with a refusal, a pulled one, an
-- archived one), dumped with sqlite3's iterdump. tests/desktop/store/test_store_file.py opens it.
BEGIN TRANSACTION;
CREATE TABLE library (
	table_id VARCHAR(36) NOT NULL, 
	asset_id VARCHAR(36) NOT NULL, 
	added_at VARCHAR NOT NULL, 
	removed_at VARCHAR, 
	added_via_set_id VARCHAR(36), 
	PRIMARY KEY (table_id, asset_id)
);
INSERT INTO "library" VALUES('12ee52d2-3247-4961-8935-b675f5010841','00000000-0000-0000-0000-000000000001','2026-12-06T12:04:31.171098+00:00',NULL,NULL);
INSERT INTO "library" VALUES('12ee52d2-3247-4961-8935-b675f5010841','00000000-0000-0000-0000-000000000002','2026-12-06T12:04:31.171098+00:00',NULL,NULL);
INSERT INTO "library" VALUES('8a20d9bf-d302-48e7-8120-ac1510bc09c5','00000000-0000-0000-0000-000000000003','2026-12-06T12:04:31.367318+00:00',NULL,NULL);
INSERT INTO "library" VALUES('8a20d9bf-d302-48e7-8120-ac1510bc09c5','00000000-0000-0000-0000-000000000004','2026-12-06T12:04:31.370596+00:00','2026-12-06T12:04:31.379613+00:00',NULL);
INSERT INTO "library" VALUES('00000000-0000-0000-0000-000000000063','00000000-0000-0000-0000-000000000001','2026-11-01T12:00:00+00:00',NULL,'00000000-0000-0000-0000-000000000005');
CREATE TABLE local_assets (
	id VARCHAR(36) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	category VARCHAR(50) NOT NULL, 
	size_x FLOAT NOT NULL, 
	size_y FLOAT NOT NULL, 
	size_z FLOAT NOT NULL, 
	triangles INTEGER NOT NULL, 
	source_units VARCHAR(10) NOT NULL, 
	mesh_path TEXT NOT NULL, 
	thumbnail_path TEXT NOT NULL, 
	created_at VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "local_assets" VALUES('00000000-0000-0000-0000-000000000006','My ruin','ruins',101.5,50.0,75.25,1234,'mm','/meshes/ruin.glb','/thumbs/ruin.png','2026-12-06T12:04:31.375222+00:00');
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('client_id','46f7c9ea-b38c-445a-bad9-8a70a603e9e1');
INSERT INTO "meta" VALUES('last_table','8a20d9bf-d302-48e7-8120-ac1510bc09c5');
INSERT INTO "meta" VALUES('sync_cursor:someone@example.com','7');
CREATE TABLE outbox (
	mutation_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	table_id VARCHAR(36) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	payload JSON NOT NULL, 
	created_at VARCHAR NOT NULL
);
INSERT INTO "outbox" VALUES(3,'8a20d9bf-d302-48e7-8120-ac1510bc09c5','move_placement','{"placement_id": "p1", "changes": {"z": 2}}','2026-12-06T12:04:31.358131+00:00');
INSERT INTO "outbox" VALUES(4,'8a20d9bf-d302-48e7-8120-ac1510bc09c5','update_table','{"fields": {"is_public": true}}','2026-12-06T12:04:31.365735+00:00');
INSERT INTO "outbox" VALUES(5,'8a20d9bf-d302-48e7-8120-ac1510bc09c5','add_library_asset','{"asset_id": "00000000-0000-0000-0000-000000000003"}','2026-12-06T12:04:31.367318+00:00');
INSERT INTO "outbox" VALUES(6,'8a20d9bf-d302-48e7-8120-ac1510bc09c5','add_library_asset','{"asset_id": "00000000-0000-0000-0000-000000000004"}','2026-12-06T12:04:31.370596+00:00');
INSERT INTO "outbox" VALUES(8,'d58af959-5f53-4301-80be-e3855543db2b','create_table','{"name": "Old table", "description": "", "width": 1200, "depth": 900, "placements": []}','2026-12-06T12:04:31.393335+00:00');
INSERT INTO "outbox" VALUES(9,'d58af959-5f53-4301-80be-e3855543db2b','archive_table','{}','2026-12-06T12:04:31.395352+00:00');
CREATE TABLE placements (
	table_id VARCHAR(36) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (table_id, id)
);
INSERT INTO "placements" VALUES('12ee52d2-3247-4961-8935-b675f5010841','s1','{"id": "s1", "modelId": "00000000-0000-0000-0000-000000000001", "x": 100.0, "y": 200.0, "z": 0.0, "rotation": 0.0, "scale": 1.0}');
INSERT INTO "placements" VALUES('8a20d9bf-d302-48e7-8120-ac1510bc09c5','p0','{"id": "p0", "modelId": "00000000-0000-0000-0000-000000000002", "x": 5.0, "y": 0.0, "z": 0.0, "rotation": 0.0, "scale": 1.0}');
INSERT INTO "placements" VALUES('8a20d9bf-d302-48e7-8120-ac1510bc09c5','p1','{"id": "p1", "modelId": "00000000-0000-0000-0000-000000000001", "x": 10.5, "y": 20.0, "z": 2.0, "rotation": 90.0, "scale": 1.5}');
INSERT INTO "placements" VALUES('00000000-0000-0000-0000-000000000063','q1','{"id": "q1", "modelId": "00000000-0000-0000-0000-000000000001", "x": 3.5, "y": 0.0, "z": 0.0, "rotation": 0.0, "scale": 1.0}');
CREATE TABLE refusals (
	mutation_id INTEGER NOT NULL, 
	table_id VARCHAR(36) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	payload JSON NOT NULL, 
	code VARCHAR(40) NOT NULL, 
	error TEXT NOT NULL, 
	refused_at VARCHAR NOT NULL, 
	PRIMARY KEY (mutation_id)
);
INSERT INTO "refusals" VALUES(7,'8a20d9bf-d302-48e7-8120-ac1510bc09c5','remove_library_asset','{"asset_id": "00000000-0000-0000-0000-000000000004"}','asset_not_found','No such asset','2026-12-06T12:04:31.416629+00:00');
CREATE TABLE tables (
	id VARCHAR(36) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT NOT NULL, 
	width INTEGER NOT NULL, 
	depth INTEGER NOT NULL, 
	is_public BOOLEAN NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	"plan" VARCHAR(20), 
	max_assets INTEGER, 
	share_code VARCHAR(16), 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	sync_state VARCHAR(20) NOT NULL, 
	sync_error TEXT, 
	PRIMARY KEY (id)
);
INSERT INTO "tables" VALUES('12ee52d2-3247-4961-8935-b675f5010841','Sample table','',1200,900,0,'active',NULL,NULL,NULL,'2026-12-06T12:04:31.171098+00:00','2026-12-06T12:04:31.171098+00:00','sample',NULL);
INSERT INTO "tables" VALUES('8a20d9bf-d302-48e7-8120-ac1510bc09c5','Harbour','Docks at dusk',1200,900,1,'active',NULL,NULL,NULL,'2026-12-06T12:04:31.208097+00:00','2026-12-06T12:04:31.379613+00:00','local','No such asset');
INSERT INTO "tables" VALUES('00000000-0000-0000-0000-000000000063','From the server','',1800,1200,0,'active','free',50,'ABCD1234','2026-11-01T12:00:00+00:00','2026-11-01T12:00:00+00:00','synced',NULL);
INSERT INTO "tables" VALUES('d58af959-5f53-4301-80be-e3855543db2b','Old table','',1200,900,0,'archived',NULL,NULL,NULL,'2026-12-06T12:04:31.393335+00:00','2026-12-06T12:04:31.393335+00:00','local',NULL);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('outbox',9);
COMMIT;
PRAGMA user_version = 3;
