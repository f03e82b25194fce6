-- A copy of the original system's schema as documented for the import (docs/MIGRATION_GUIDE.md).
-- The legacy-import tests build their source database from it.

-- The original system's database as deployed before the schema alignment (reconstructed from
-- original-task.md: the tables its code read and wrote). `terrain-server import-legacy` reads a
-- database with this shape. Files named in *_path columns are relative to the original
-- system's upload directory.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) NOT NULL UNIQUE,            -- as typed at sign-up (case not normalised)
    password_hash varchar(255),                    -- bcrypt ($2a$/$2b$, cost 10-12); NULL = no password
    display_name varchar(255),
    role varchar(20) NOT NULL DEFAULT 'user',       -- user | artist | admin
    artist_name varchar(255),
    artist_bio text,
    artist_url varchar(500),
    commission_rate numeric(5,2) DEFAULT 70.00,     -- percent of a sale paid to the artist
    stripe_account_id varchar(255),
    stripe_onboarding_complete boolean DEFAULT false,
    plan varchar(20) DEFAULT 'free',                -- free | pro
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

-- Legacy duplicate of the artist profile kept by an older version; may disagree with users.*
CREATE TABLE artists (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid REFERENCES users(id),
    display_name varchar(255),
    bio text,
    website varchar(500),
    created_at timestamptz DEFAULT now()
);

CREATE TABLE models (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_id uuid NOT NULL REFERENCES users(id),
    name varchar(255) NOT NULL,
    description text,
    category varchar(100),
    tags text[] DEFAULT '{}',
    stl_file_path varchar(500),                     -- the original upload (STL/OBJ)
    glb_file_path varchar(500),
    thumbnail_path varchar(500),
    width numeric(10,2), depth numeric(10,2), height numeric(10,2),   -- millimetres, as entered
    base_price numeric(10,2) DEFAULT 0,
    status varchar(20) DEFAULT 'draft',             -- draft | published | archived
    visibility varchar(20) DEFAULT 'public',        -- public | private | unlisted
    view_count integer DEFAULT 0,
    download_count integer DEFAULT 0,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    published_at timestamptz
);

CREATE TABLE favorites (
    user_id uuid REFERENCES users(id),
    model_id uuid REFERENCES models(id),
    created_at timestamptz DEFAULT now(),
    PRIMARY KEY (user_id, model_id)
);

-- Saved by the 3D builder; layout = {"models": [{"id", "modelId", "x", "y", "z", "rotation", "scale"}]}
CREATE TABLE user_tables (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid REFERENCES users(id),
    name varchar(255),
    description text,
    width integer DEFAULT 1200,
    depth integer DEFAULT 900,
    layout jsonb DEFAULT '{"models": []}',
    is_public boolean DEFAULT false,
    share_code varchar(32),
    view_count integer DEFAULT 0,
    clone_count integer DEFAULT 0,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

-- Artists' showcase tables
CREATE TABLE example_tables (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_id uuid REFERENCES users(id),
    name varchar(255),
    description text,
    width integer DEFAULT 1200,
    depth integer DEFAULT 900,
    layout jsonb DEFAULT '{"models": []}',
    created_at timestamptz DEFAULT now()
);

-- items = [{"model_id": uuid, "quantity": int, "price": number}] (price per unit, dollars)
CREATE TABLE orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_number varchar(50) UNIQUE,
    user_id uuid REFERENCES users(id),
    items jsonb NOT NULL DEFAULT '[]',
    subtotal numeric(10,2), shipping_cost numeric(10,2), tax numeric(10,2), total numeric(10,2),
    status varchar(20) DEFAULT 'pending',           -- pending | paid | shipped | cancelled | refunded
    payment_intent_id varchar(255),
    shipping_address jsonb,
    created_at timestamptz DEFAULT now(),
    paid_at timestamptz
);

CREATE TABLE stripe_transfers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id uuid REFERENCES orders(id),
    artist_id uuid REFERENCES users(id),
    amount numeric(10,2) NOT NULL,                   -- dollars
    stripe_transfer_id varchar(255),
    status varchar(20) DEFAULT 'completed',
    created_at timestamptz DEFAULT now()
);
