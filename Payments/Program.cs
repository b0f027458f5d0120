using OrderSystem.Payments.Apis;
using OrderSystem.Payments.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapPaymentsApi();

// The external payment provider, simulated in this process (see docs/payments.md).
app.MapPaymentProviderApi();

app.Run();

// The tests host the service with WebApplicationFactory<Program>.
public partial class Program;
