using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Cassiopeia.Infrastructure.Persistence.Postgres.Migrations
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
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true, collation: "C"),
                    OrganizationId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    DocumentId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Page = table.Column<int>(type: "integer", nullable: true),
                    HeadingPath = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    TokenCount = table.Column<int>(type: "integer", nullable: false),
                    Suspect = table.Column<bool>(type: "boolean", nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ModelId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    Dimensions = table.Column<int>(type: "integer", nullable: false),
                    Vector = table.Column<byte[]>(type: "bytea", maxLength: 16384, nullable: false)
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
                    Id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    OrganizationId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    DocumentId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    RunAfterUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeaseToken = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    LeaseExpiresUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    TraceParent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

            // Keyword index: a generated tsvector with a GIN index, maintained by PostgreSQL in the chunks' own transaction.
            migrationBuilder.Sql("ALTER TABLE chunks ADD COLUMN \"SearchVector\" tsvector GENERATED ALWAYS AS (to_tsvector('english', \"Text\")) STORED;");
            migrationBuilder.Sql("CREATE INDEX \"IX_chunks_SearchVector\" ON chunks USING GIN (\"SearchVector\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_chunks_SearchVector\";");

            migrationBuilder.DropTable(
                name: "chunks");

            migrationBuilder.DropTable(
                name: "ingestion_jobs");
        }
    }
}
