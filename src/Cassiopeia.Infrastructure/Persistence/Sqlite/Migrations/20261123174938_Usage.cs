using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cassiopeia.Infrastructure.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quota_counters",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PeriodStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Used = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quota_counters", x => new { x.OrganizationId, x.Metric, x.PeriodStartUtc });
                    table.ForeignKey(
                        name: "FK_quota_counters_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_daily",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Quantity = table.Column<long>(type: "INTEGER", nullable: false),
                    CostNanoUsd = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_daily", x => new { x.OrganizationId, x.Date, x.Metric, x.UserId });
                    table.ForeignKey(
                        name: "FK_usage_daily_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    ApiKeyId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Quantity = table.Column<long>(type: "INTEGER", nullable: false),
                    CostNanoUsd = table.Column<long>(type: "INTEGER", nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OccurredUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_usage_events_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_usage_events_OrganizationId_OccurredUtc",
                table: "usage_events",
                columns: new[] { "OrganizationId", "OccurredUtc" });

            // Each event adds itself to its day's roll-up in its own transaction (SQLite UPSERT in a trigger).
            migrationBuilder.Sql("""
                CREATE TRIGGER usage_events_daily AFTER INSERT ON usage_events BEGIN
                  INSERT INTO usage_daily ("OrganizationId", "Date", "Metric", "UserId", "Quantity", "CostNanoUsd")
                  VALUES (new."OrganizationId", substr(new."OccurredUtc", 1, 10), new."Metric", coalesce(new."UserId", ''), new."Quantity", new."CostNanoUsd")
                  ON CONFLICT ("OrganizationId", "Date", "Metric", "UserId") DO UPDATE SET
                    "Quantity" = usage_daily."Quantity" + excluded."Quantity",
                    "CostNanoUsd" = usage_daily."CostNanoUsd" + excluded."CostNanoUsd";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS usage_events_daily;");

            migrationBuilder.DropTable(
                name: "quota_counters");

            migrationBuilder.DropTable(
                name: "usage_daily");

            migrationBuilder.DropTable(
                name: "usage_events");
        }
    }
}
