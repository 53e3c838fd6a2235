using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Cassiopeia.Infrastructure.Persistence.Postgres.Migrations
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
                    OrganizationId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PeriodStartUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Used = table.Column<long>(type: "bigint", nullable: false)
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
                    OrganizationId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Quantity = table.Column<long>(type: "bigint", nullable: false),
                    CostNanoUsd = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    UserId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true, collation: "C"),
                    ApiKeyId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true, collation: "C"),
                    Metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Quantity = table.Column<long>(type: "bigint", nullable: false),
                    CostNanoUsd = table.Column<long>(type: "bigint", nullable: false),
                    Model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OccurredUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

            // Each event adds itself to its day's (UTC) roll-up in its own transaction.
            migrationBuilder.Sql("""
                CREATE FUNCTION usage_events_daily() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO usage_daily ("OrganizationId", "Date", "Metric", "UserId", "Quantity", "CostNanoUsd")
                  VALUES (NEW."OrganizationId", (NEW."OccurredUtc" AT TIME ZONE 'UTC')::date, NEW."Metric", coalesce(NEW."UserId", ''), NEW."Quantity", NEW."CostNanoUsd")
                  ON CONFLICT ("OrganizationId", "Date", "Metric", "UserId") DO UPDATE SET
                    "Quantity" = usage_daily."Quantity" + EXCLUDED."Quantity",
                    "CostNanoUsd" = usage_daily."CostNanoUsd" + EXCLUDED."CostNanoUsd";
                  RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER usage_events_daily AFTER INSERT ON usage_events FOR EACH ROW EXECUTE FUNCTION usage_events_daily();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS usage_events_daily ON usage_events;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS usage_events_daily();");

            migrationBuilder.DropTable(
                name: "quota_counters");

            migrationBuilder.DropTable(
                name: "usage_daily");

            migrationBuilder.DropTable(
                name: "usage_events");
        }
    }
}
