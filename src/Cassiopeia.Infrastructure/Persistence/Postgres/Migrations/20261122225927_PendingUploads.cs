using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cassiopeia.Infrastructure.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PendingUploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pending_uploads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    OrganizationId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    UserId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ReplacesId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true, collation: "C"),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    DeclaredContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DeclaredSize = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UploadedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_uploads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_pending_uploads_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pending_uploads_ExpiresUtc",
                table: "pending_uploads",
                column: "ExpiresUtc");

            migrationBuilder.CreateIndex(
                name: "IX_pending_uploads_OrganizationId",
                table: "pending_uploads",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_uploads");
        }
    }
}
