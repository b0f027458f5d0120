using System.Reflection;
using OrderSystem.Contracts;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Contracts.Orders;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

public sealed class ContractsTests
{
    public static TheoryData<string> Services => ["inventory", "orders"];

    [Theory]
    [MemberData(nameof(Services))]
    public void Method_descriptors_match_the_proto_service(string contract)
    {
        var (methodsClass, file, serviceName) = contract switch
        {
            "inventory" => (typeof(InventoryMethods), InventoryReflection.Descriptor, "ordersystem.inventory.v1.InventoryService"),
            _ => (typeof(OrderMethods), OrdersReflection.Descriptor, "ordersystem.orders.v1.OrderService"),
        };
        var descriptor = Assert.Single(file.Services);
        var methods = methodsClass.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => field.GetValue(null))
            .OfType<GrpcMethod>()
            .ToDictionary(method => method.Name);

        Assert.Equal(serviceName, descriptor.FullName);
        Assert.Equal(descriptor.Methods.Select(method => method.Name).Order(), methods.Keys.Order());
        foreach (var protoMethod in descriptor.Methods)
        {
            var method = methods[protoMethod.Name];
            Assert.Equal(serviceName, method.ServiceName);
            Assert.Equal($"/{serviceName}/{protoMethod.Name}", method.Path);
            Assert.Equal([protoMethod.InputType.ClrType, protoMethod.OutputType.ClrType], method.GetType().GetGenericArguments());
        }
    }

    [Theory]
    [InlineData("12.50", 12.50)]
    [InlineData("0", 0)]
    [InlineData("-3.1", -3.1)]
    public void Decimal_strings_round_trip_in_invariant_culture(string text, decimal value)
    {
        Assert.Equal(value, DecimalString.Parse(text, "amount"));
        Assert.Equal(text, DecimalString.Format(DecimalString.Parse(text, "amount")));
    }

    [Theory]
    [InlineData("12,50")]
    [InlineData("1.2E3")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_decimal_strings_name_the_field(string? text)
    {
        var error = Assert.Throws<ArgumentException>(() => DecimalString.Parse(text, "payment.amount"));

        Assert.Equal("payment.amount", error.ParamName);
    }
}
