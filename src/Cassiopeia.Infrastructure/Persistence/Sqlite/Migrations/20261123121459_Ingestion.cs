using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cassiopeia.Infrastructure.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Ingestion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "chunks",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DocumentId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Page = table.Column<int>(type: "INTEGER", nullable: true),
                    HeadingPath = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    TokenCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Suspect = table.Column<bool>(type: "INTEGER", nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ModelId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Dimensions = table.Column<int>(type: "INTEGER", nullable: false),
                    Vector = table.Column<byte[]>(type: "BLOB", maxLength: 16384, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chunks", x => x.Seq);
                    table.ForeignKey(
                        name: "FK_chunks_documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ingestion_jobs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DocumentId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RunAfterUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseToken = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    LeaseExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    TraceParent = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ingestion_jobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ingestion_jobs_documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_chunks_DocumentId_Ordinal",
                table: "chunks",
                columns: new[] { "DocumentId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_chunks_Id",
                table: "chunks",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_chunks_ModelId_ContentHash",
                table: "chunks",
                columns: new[] { "ModelId", "ContentHash" });

            migrationBuilder.CreateIndex(
                name: "IX_chunks_OrganizationId_Seq",
                table: "chunks",
                columns: new[] { "OrganizationId", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_ingestion_jobs_DocumentId",
                table: "ingestion_jobs",
                column: "DocumentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ingestion_jobs_State_RunAfterUtc",
                table: "ingestion_jobs",
                columns: new[] { "State", "RunAfterUtc" });

            // Keyword index: FTS5 over the chunk text with the chunk's integer key as rowid, kept in step
            // with the table by triggers, so it changes in the same transaction as the chunks.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE chunks_fts USING fts5(Text, content='chunks', content_rowid='Seq', tokenize='porter unicode61 remove_diacritics 2');");
            migrationBuilder.Sql("CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN INSERT INTO chunks_fts(rowid, Text) VALUES (new.Seq, new.Text); END;");
            migrationBuilder.Sql("CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN INSERT INTO chunks_fts(chunks_fts, rowid, Text) VALUES ('delete', old.Seq, old.Text); END;");
            migrationBuilder.Sql("CREATE TRIGGER chunks_fts_update AFTER UPDATE OF Text ON chunks BEGIN INSERT INTO chunks_fts(chunks_fts, rowid, Text) VALUES ('delete', old.Seq, old.Text); INSERT INTO chunks_fts(rowid, Text) VALUES (new.Seq, new.Text); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS chunks_fts_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS chunks_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS chunks_fts_insert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS chunks_fts;");

            migrationBuilder.DropTable(
                name: "chunks");

            migrationBuilder.DropTable(
                name: "ingestion_jobs");
        }
    }
}
