namespace Cassiopeia.Core.Data;

/// <summary>A row that belongs to exactly one organization and is invisible to every other.</summary>
public interface IOrganizationScoped
{
    string OrganizationId { get; set; }
}
